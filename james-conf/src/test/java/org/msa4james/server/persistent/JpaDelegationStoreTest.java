package org.msa4james.server.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.james.core.Username;
import org.apache.james.user.api.DelegationStore;
import org.apache.james.user.api.DelegationStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class JpaDelegationStoreTest implements DelegationStoreContract {
    /** One database for the class: creating one takes seconds; each test starts from an empty table. */
    @TempDir
    static Path temporary;

    private static EntityManagerFactory entityManagerFactory;
    private JpaDelegationStore store;

    @BeforeAll
    static void openDatabase() {
        entityManagerFactory = openFactory();
    }

    @AfterAll
    static void closeDatabase() {
        entityManagerFactory.close();
    }

    private static EntityManagerFactory openFactory() {
        return Persistence.createEntityManagerFactory(JpaStore.PERSISTENCE_UNIT, Map.of(
            "openjpa.ConnectionDriverName", JpaStore.DERBY_DRIVER,
            "openjpa.ConnectionURL", "jdbc:derby:" + temporary.resolve("derby") + ";create=true"));
    }

    @BeforeEach
    void emptyStore() {
        store = new JpaDelegationStore(entityManagerFactory);
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        try {
            entityManager.getTransaction().begin();
            entityManager.createNativeQuery("DELETE FROM " + JpaDelegationStore.TABLE).executeUpdate();
            entityManager.getTransaction().commit();
        } finally {
            entityManager.close();
        }
    }

    @Override
    public DelegationStore testee() {
        return store;
    }

    @Test
    void delegationsShouldSurviveANewFactoryOnTheSameDatabase() {
        Mono.from(store.addAuthorizedUser(ALICE, BOB)).block();
        entityManagerFactory.close();

        entityManagerFactory = openFactory();
        JpaDelegationStore reopened = new JpaDelegationStore(entityManagerFactory);

        assertThat(Flux.from(reopened.authorizedUsers(ALICE)).collectList().block()).containsExactly(BOB);
        assertThat(Flux.from(reopened.delegatedUsers(BOB)).collectList().block()).containsExactly(ALICE);
    }

    @Test
    void fullAddressesShouldBeKeptAsGiven() {
        Username owner = Username.of("alice@example.test");
        Username delegate = Username.of("bob@example.test");

        Mono.from(store.addAuthorizedUser(owner, delegate)).block();

        assertThat(Flux.from(store.authorizedUsers(owner)).collectList().block()).containsExactly(delegate);
    }
}
