package org.msa4james.mailet;

import org.apache.james.domainlist.api.DomainList;
import org.apache.james.rrt.api.CanSendFrom;

/**
 * The in-memory James services of {@link CompletionJamesData} for code outside this package (the benchmarks of
 * org.msa4james.benchmark), which builds the mailets with their public constructors as James's Guice does.
 */
public final class CompletionJamesServices {
    private final CompletionJamesData data;

    private CompletionJamesServices(CompletionJamesData data) {
        this.data = data;
    }

    /** Default domain example.test, users alice@example.test and bob@example.test, as {@link CompletionJamesData}. */
    public static CompletionJamesServices create() throws Exception {
        return new CompletionJamesServices(new CompletionJamesData());
    }

    public DomainList domainList() {
        return data.domainList;
    }

    public CanSendFrom canSendFrom() {
        return data.canSendFrom;
    }
}
