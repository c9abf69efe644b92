package org.msa4james.smtp;

import static org.mockito.Mockito.mock;

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
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.UserEntityValidator;
import org.apache.james.user.memory.MemoryDelegationStore;
import org.apache.james.user.memory.MemoryUsersRepository;

/**
 * James's own in-memory domain list, users repository and recipient rewrite table, as the hooks meet them in
 * the memory server: local domains example.test and sales.example.test, users alice and bob, and the alias
 * a.liddell@example.test of alice. The delegation store (James's MemoryDelegationStore) starts empty.
 */
final class InMemoryJamesData {
    static final Domain EXAMPLE = Domain.of("example.test");
    static final Domain SALES = Domain.of("sales.example.test");

    final MemoryDomainList domainList;
    final MemoryRecipientRewriteTable recipientRewriteTable;
    final CanSendFrom canSendFrom;
    final MemoryDelegationStore delegationStore = new MemoryDelegationStore();

    InMemoryJamesData() throws Exception {
        domainList = new MemoryDomainList(mock(DNSService.class));
        domainList.configure(DomainListConfiguration.builder()
            .defaultDomain(EXAMPLE)
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        domainList.addDomain(SALES);

        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domainList);
        addUser(users, "alice@example.test");
        addUser(users, "bob@example.test");

        recipientRewriteTable = new MemoryRecipientRewriteTable();
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        recipientRewriteTable.setUsersRepository(users);
        recipientRewriteTable.setUserEntityValidator(UserEntityValidator.NOOP);
        recipientRewriteTable.addAliasMapping(MappingSource.fromUser(Username.of("a.liddell@example.test")), "alice@example.test");

        canSendFrom = new CanSendFromImpl(recipientRewriteTable, new AliasReverseResolverImpl(recipientRewriteTable));
    }

    private static void addUser(MemoryUsersRepository users, String name) throws UsersRepositoryException {
        users.addUser(Username.of(name), "secret");
    }
}
