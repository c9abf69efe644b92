package org.msa4james.smtp;

import org.apache.james.domainlist.api.DomainList;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.user.api.DelegationStore;

/**
 * Opens {@link InMemoryJamesData} (James's in-memory domain list, recipient rewrite table and delegation store, with
 * the users and domains of the unit tests) to the JMH benchmarks of {@code org.msa4james.benchmark}.
 */
public final class BenchmarkJamesData {
    private final InMemoryJamesData data;

    private BenchmarkJamesData(InMemoryJamesData data) {
        this.data = data;
    }

    public static BenchmarkJamesData create() throws Exception {
        return new BenchmarkJamesData(new InMemoryJamesData());
    }

    public DomainList domainList() {
        return data.domainList;
    }

    public CanSendFrom canSendFrom() {
        return data.canSendFrom;
    }

    public DelegationStore delegationStore() {
        return data.delegationStore;
    }
}
