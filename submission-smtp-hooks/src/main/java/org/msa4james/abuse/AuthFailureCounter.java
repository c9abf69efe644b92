package org.msa4james.abuse;

import com.google.inject.ImplementedBy;

/**
 * Failed AUTH per client address and per (client address, user), shared by every submission listener of the server.
 * Keys are built by {@link AuthFailureKeys}.
 */
@ImplementedBy(InMemoryAuthFailureCounter.class)
public interface AuthFailureCounter extends WindowCounter {
}
