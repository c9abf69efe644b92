package org.msa4james.abuse;

import com.google.inject.ImplementedBy;

/** Messages and recipients accepted per authenticated user, shared by every submission listener of the server. */
@ImplementedBy(InMemorySendingCounter.class)
public interface SendingCounter extends WindowCounter {
}
