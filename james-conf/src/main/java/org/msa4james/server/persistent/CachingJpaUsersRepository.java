package org.msa4james.server.persistent;

import java.time.Duration;
import java.util.Optional;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.JPAUsersDAO;
import org.apache.james.user.lib.UsersRepositoryImpl;

/**
 * James's JPA users repository with the user read at each AUTH kept in a {@link ReadCache}: every AUTH reads the user
 * (its stored password hash) from Derby, James's own check and msa4james's AUTH cache alike, and that query was a tenth
 * of the server's CPU when every message came on a new connection. Adding, changing (a new password) or removing a
 * user on this server takes effect at once; a change made by another server sharing the database (possible only with
 * {@code conf/james-database.properties}) within {@link #TIME_TO_LIVE}.
 */
public class CachingJpaUsersRepository extends UsersRepositoryImpl<CachingJpaUsersRepository.CachingJpaUsersDAO> {
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    @Inject
    public CachingJpaUsersRepository(DomainList domainList, EntityManagerFactory entityManagerFactory) {
        super(domainList, new CachingJpaUsersDAO(new ReadCache<>(TIME_TO_LIVE, MAX_ENTRIES)));
        usersDAO.setEntityManagerFactory(entityManagerFactory);
        usersDAO.init();
    }

    @Override
    public void configure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        usersDAO.configure(configuration);
        super.configure(configuration);
    }

    /** James's JPA users DAO, reads answered from the cache, every write forgetting it. */
    static final class CachingJpaUsersDAO extends JPAUsersDAO {
        private final ReadCache<Username, Optional<User>> users;

        CachingJpaUsersDAO(ReadCache<Username, Optional<User>> users) {
            this.users = users;
        }

        @Override
        public Optional<User> getUserByName(Username name) throws UsersRepositoryException {
            return users.get(name, super::getUserByName);
        }

        @Override
        public void addUser(Username username, String password) throws UsersRepositoryException {
            try {
                super.addUser(username, password);
            } finally {
                users.invalidateAll();
            }
        }

        @Override
        public void updateUser(User user) throws UsersRepositoryException {
            try {
                super.updateUser(user);
            } finally {
                users.invalidateAll();
            }
        }

        @Override
        public void removeUser(Username name) throws UsersRepositoryException {
            try {
                super.removeUser(name);
            } finally {
                users.invalidateAll();
            }
        }
    }
}
