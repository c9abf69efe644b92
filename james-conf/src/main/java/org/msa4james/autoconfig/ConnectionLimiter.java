package org.msa4james.autoconfig;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the connections the public listener holds open: in all, and from one client address. A connection over
 * either bound is closed as soon as it is accepted, so a flood of connections costs the server no more than the
 * bound.
 */
final class ConnectionLimiter {
    private final int limit;
    private final int limitPerAddress;
    private final Map<InetAddress, Integer> openByAddress = new HashMap<>();
    private int open;

    ConnectionLimiter(int limit, int limitPerAddress) {
        this.limit = limit;
        this.limitPerAddress = limitPerAddress;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when a bound is reached. */
    synchronized boolean tryAcquire(InetAddress address) {
        int fromAddress = openByAddress.getOrDefault(address, 0);
        if (open >= limit || fromAddress >= limitPerAddress) {
            return false;
        }
        open++;
        openByAddress.put(address, fromAddress + 1);
        return true;
    }

    /** Forgets a connection counted by {@link #tryAcquire}. */
    synchronized void release(InetAddress address) {
        open--;
        openByAddress.computeIfPresent(address, (ignored, count) -> count > 1 ? count - 1 : null);
    }

    synchronized int open() {
        return open;
    }
}
