package org.msa4james.server.persistent;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.Username;
import org.apache.james.user.api.DelegationStore;
import org.apache.openjpa.persistence.OpenJPAEntityManager;
import org.apache.openjpa.persistence.OpenJPAPersistence;
import org.reactivestreams.Publisher;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Delegations ({@code PUT /users/<owner>/authorizedUsers/<delegate>}: the delegate may act for the owner, e.g. send
 * with the owner's address in From) kept in the server's JPA database, in the table {@value #TABLE}, one row per
 * (owner, delegate). James 3.8.1 keeps them only in memory outside its Cassandra server.
 *
 * <p>Plain JDBC on a connection of the JPA store, so that the table needs no JPA entity (and no build-time
 * enhancement); every change is committed before the call completes. The table is created at the first start.</p>
 */
@Singleton
public final class JpaDelegationStore implements DelegationStore {
    static final String TABLE = "MSA4JAMES_DELEGATION";
    private static final String CREATE = "CREATE TABLE " + TABLE + " (OWNER_NAME VARCHAR(255) NOT NULL, "
        + "DELEGATE_NAME VARCHAR(255) NOT NULL, PRIMARY KEY (OWNER_NAME, DELEGATE_NAME))";

    private final EntityManagerFactory entityManagerFactory;

    @Inject
    public JpaDelegationStore(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
        createTableWhenMissing();
    }

    @Override
    public Publisher<Username> authorizedUsers(Username baseUser) {
        return Flux.defer(() -> Flux.fromIterable(select("SELECT DELEGATE_NAME FROM " + TABLE + " WHERE OWNER_NAME = ?", baseUser)));
    }

    @Override
    public Publisher<Username> delegatedUsers(Username baseUser) {
        return Flux.defer(() -> Flux.fromIterable(select("SELECT OWNER_NAME FROM " + TABLE + " WHERE DELEGATE_NAME = ?", baseUser)));
    }

    @Override
    public Publisher<Void> addAuthorizedUser(Username baseUser, Username userWithAccess) {
        return Mono.fromRunnable(() -> withConnection(connection -> {
            if (select(connection, "SELECT DELEGATE_NAME FROM " + TABLE + " WHERE OWNER_NAME = ? AND DELEGATE_NAME = ?",
                baseUser, userWithAccess).isEmpty()) {
                update(connection, "INSERT INTO " + TABLE + " (OWNER_NAME, DELEGATE_NAME) VALUES (?, ?)", baseUser, userWithAccess);
            }
            return null;
        }));
    }

    @Override
    public Publisher<Void> removeAuthorizedUser(Username baseUser, Username userWithAccess) {
        return Mono.fromRunnable(() -> withConnection(connection ->
            update(connection, "DELETE FROM " + TABLE + " WHERE OWNER_NAME = ? AND DELEGATE_NAME = ?", baseUser, userWithAccess)));
    }

    @Override
    public Publisher<Void> removeDelegatedUser(Username baseUser, Username delegatedToUser) {
        return removeAuthorizedUser(delegatedToUser, baseUser);
    }

    @Override
    public Publisher<Void> clear(Username baseUser) {
        return Mono.fromRunnable(() -> withConnection(connection ->
            update(connection, "DELETE FROM " + TABLE + " WHERE OWNER_NAME = ?", baseUser)));
    }

    private List<Username> select(String sql, Username parameter) {
        return withConnection(connection -> select(connection, sql, parameter));
    }

    private static List<Username> select(Connection connection, String sql, Username... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
            ImmutableList.Builder<Username> result = ImmutableList.builder();
            while (rows.next()) {
                result.add(Username.of(rows.getString(1)));
            }
            return result.build();
        }
    }

    private static Void update(Connection connection, String sql, Username... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
            return null;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Username... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i].asString());
        }
        return statement;
    }

    private void createTableWhenMissing() {
        withConnection(connection -> {
            if (!tableExists(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(CREATE);
                }
            }
            return null;
        });
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        for (String name : List.of(TABLE, TABLE.toLowerCase(Locale.ROOT))) {
            try (ResultSet tables = metaData.getTables(null, null, name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one committed transaction on a connection of the JPA store. */
    private <T> T withConnection(SqlWork<T> work) {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        try {
            OpenJPAEntityManager openJpa = OpenJPAPersistence.cast(entityManager);
            openJpa.getTransaction().begin();
            try {
                Connection connection = (Connection) openJpa.getConnection();
                T result = work.run(connection);
                openJpa.getTransaction().commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                if (openJpa.getTransaction().isActive()) {
                    openJpa.getTransaction().rollback();
                }
                throw new DelegationStoreException("Delegation store failure: " + e.getMessage(), e);
            }
        } finally {
            entityManager.close();
        }
    }

    /** A failure of the database under the delegation store. */
    public static final class DelegationStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DelegationStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
