package org.msa4james.autoconfig;

/** Whether a domain is one of the server's local domains (James's DomainList), asked at each request. */
@FunctionalInterface
public interface LocalDomains {
    /**
     * @param domain a domain name in lower case
     * @throws Exception when the domain list cannot be read
     */
    boolean contains(String domain) throws Exception;
}
