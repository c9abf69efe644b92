package org.msa4james.server.persistent;

import java.time.Duration;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.Domain;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.domainlist.jpa.JPADomainList;

/**
 * James's JPA domain list with its "is this domain local?" answers kept in a {@link ReadCache}: every mail asks it
 * several times (the submission checks, the matchers, the recipient rewrite), and each answer from Derby costs a
 * query. Adding or removing a domain on this server takes effect at once.
 */
public class CachingJpaDomainList extends JPADomainList {
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    private final ReadCache<Domain, Boolean> local = new ReadCache<>(TIME_TO_LIVE, MAX_ENTRIES);

    @Inject
    public CachingJpaDomainList(DNSService dns, EntityManagerFactory entityManagerFactory) {
        super(dns, entityManagerFactory);
    }

    @Override
    protected boolean containsDomainInternal(Domain domain) throws DomainListException {
        return local.get(domain, super::containsDomainInternal);
    }

    @Override
    public void addDomain(Domain domain) throws DomainListException {
        try {
            super.addDomain(domain);
        } finally {
            local.invalidateAll();
        }
    }

    @Override
    public void doRemoveDomain(Domain domain) throws DomainListException {
        try {
            super.doRemoveDomain(domain);
        } finally {
            local.invalidateAll();
        }
    }
}
