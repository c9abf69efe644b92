package org.msa4james.mailet;

import static org.mockito.Mockito.mock;

import org.apache.james.UserEntityValidator;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.memory.MemoryUsersRepository;

/**
 * James's own in-memory domain list, users repository and recipient rewrite table, as the completion mailets meet
 * them in the memory server: default domain example.test, local domains sales.example.test and alias.example.test
 * (a domain alias of example.test), users alice@example.test and bob@example.test, and the alias
 * a.liddell@example.test of alice. (The DNS service is a mock: with auto-detection off the domain list never
 * calls it.)
 */
final class CompletionJamesData {
    static final Domain EXAMPLE = Domain.of("example.test");
    static final Domain SALES = Domain.of("sales.example.test");
    static final Domain ALIAS_DOMAIN = Domain.of("alias.example.test");

    final MemoryDomainList domainList;
    final CanSendFrom canSendFrom;

    CompletionJamesData() throws Exception {
        domainList = new MemoryDomainList(mock(DNSService.class));
        domainList.configure(DomainListConfiguration.builder()
            .defaultDomain(EXAMPLE)
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        domainList.addDomain(SALES);
        domainList.addDomain(ALIAS_DOMAIN);

        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domainList);
        users.addUser(Username.of("alice@example.test"), "secret");
        users.addUser(Username.of("bob@example.test"), "secret");

        MemoryRecipientRewriteTable recipientRewriteTable = new MemoryRecipientRewriteTable();
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        recipientRewriteTable.setUsersRepository(users);
        recipientRewriteTable.setUserEntityValidator(UserEntityValidator.NOOP);
        recipientRewriteTable.addAliasMapping(MappingSource.fromUser(Username.of("a.liddell@example.test")), "alice@example.test");
        recipientRewriteTable.addDomainAliasMapping(MappingSource.fromDomain(ALIAS_DOMAIN), EXAMPLE);

        canSendFrom = new CanSendFromImpl(recipientRewriteTable, new AliasReverseResolverImpl(recipientRewriteTable));
    }
}
