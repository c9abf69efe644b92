package org.msa4james.completion;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

import com.google.common.base.Preconditions;
import com.google.common.io.BaseEncoding;

/**
 * Makes msg-ids that no other message ever carries, also across restarts and cluster nodes, without any shared
 * state: {@code <time.random@domain>}, where time is the clock's milliseconds in base 36 and random is 128 bits
 * of a {@link SecureRandom} in lower-case base32hex (26 characters), e.g.
 * {@code <mx0rt75f.000g40o40k30e209185go38e1s@example.com>}. Both parts are dot-atom-text.
 *
 * <p>Thread-safe: {@link SecureRandom} is.</p>
 */
public final class MessageIdFactory {
    private static final int RANDOM_BYTES = 16;
    private static final int TIME_RADIX = 36;
    private static final BaseEncoding RANDOM_ENCODING = BaseEncoding.base32Hex().lowerCase().omitPadding();

    private final Clock clock;
    private final Random random;

    /** With an injected generator, for tests; production uses {@link #secure(Clock)}. */
    public MessageIdFactory(Clock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    public static MessageIdFactory secure(Clock clock) {
        return new MessageIdFactory(clock, new SecureRandom());
    }

    /**
     * A new msg-id with {@code domain} as its right-hand side.
     *
     * @throws IllegalArgumentException when {@code domain} is not a host name
     */
    public String create(String domain) {
        Preconditions.checkArgument(HostName.normalized(domain).filter(domain::equals).isPresent(),
            "'%s' is not a lower-case host name", domain);
        byte[] bits = new byte[RANDOM_BYTES];
        random.nextBytes(bits);
        return "<" + Long.toString(clock.millis(), TIME_RADIX) + "." + RANDOM_ENCODING.encode(bits) + "@" + domain + ">";
    }
}
