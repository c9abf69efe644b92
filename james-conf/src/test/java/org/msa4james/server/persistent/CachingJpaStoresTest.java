package org.msa4james.server.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.api.model.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached JPA domain list, recipient rewrite table and users repository on a real Derby database: the answers every mail asks for
 * come from memory, and a change made through them is seen at once; a change made behind their back (another server
 * sharing the database) within the time to live.
 */
class CachingJpaStoresTest {
    @TempDir
    static Path temporary;

    private static EntityManagerFactory entityManagerFactory;

    @BeforeAll
    static void openDatabase() {
        entityManagerFactory = Persistence.createEntityManagerFactory(JpaStore.PERSISTENCE_UNIT, Map.of(
            "openjpa.ConnectionDriverName", JpaStore.DERBY_DRIVER,
            "openjpa.ConnectionURL", "jdbc:derby:" + temporary.resolve("derby") + ";create=true"));
    }

    @AfterAll
    static void closeDatabase() {
        entityManagerFactory.close();
    }

    /** A write the caches cannot see: straight into the table, as another server sharing the database would. */
    private static void behindTheirBack(String sql) {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        try {
            entityManager.getTransaction().begin();
            entityManager.createNativeQuery(sql).executeUpdate();
            entityManager.getTransaction().commit();
        } finally {
            entityManager.close();
        }
    }

    @Nested
    class DomainList {
        @Test
        void aDomainAddedOrRemovedHereShouldBeSeenAtOnceAndAnswersBeServedFromMemory() throws Exception {
            CachingJpaDomainList domains = new CachingJpaDomainList(null, entityManagerFactory);
            domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false)
                .defaultDomain(Domain.of("localhost")).build());
            Domain domain = Domain.of("cached.example");

            assertThat(domains.containsDomain(domain)).isFalse();
            domains.addDomain(domain);
            assertThat(domains.containsDomain(domain)).isTrue();

            behindTheirBack("DELETE FROM JAMES_DOMAIN WHERE DOMAIN_NAME = 'cached.example'");
            assertThat(domains.containsDomain(domain)).as("the answer kept in memory").isTrue();

            domains.addDomain(Domain.of("other.example"));
            assertThat(domains.containsDomain(domain)).as("any change here forgets every answer").isFalse();
            domains.removeDomain(Domain.of("other.example"));
            assertThat(domains.containsDomain(Domain.of("other.example"))).isFalse();
        }
    }

    @Nested
    class RecipientRewriteTable {
        @Test
        void aMappingChangedHereShouldBeSeenAtOnceAndAnswersBeServedFromMemory() throws Exception {
            CachingJpaRecipientRewriteTable table = new CachingJpaRecipientRewriteTable();
            table.setEntityManagerFactory(entityManagerFactory);
            MappingSource alias = MappingSource.parse("sales@cached.example");

            assertThat(table.getStoredMappings(alias).isEmpty()).isTrue();
            table.addMapping(alias, Mapping.alias("alice@cached.example"));
            assertThat(table.getStoredMappings(alias).asStream().map(Mapping::asString))
                .containsExactly("alias:alice@cached.example");
            table.addMapping(alias, Mapping.alias("bob@cached.example"));
            assertThat(table.getStoredMappings(alias).asStream().map(Mapping::asString))
                .containsExactlyInAnyOrder("alias:alice@cached.example", "alias:bob@cached.example");

            behindTheirBack("DELETE FROM JAMES_RECIPIENT_REWRITE");
            assertThat(table.getStoredMappings(alias).isEmpty()).as("the answer kept in memory").isFalse();

            table.removeMapping(MappingSource.parse("nobody@cached.example"), Mapping.alias("x@cached.example"));
            assertThat(table.getStoredMappings(alias).isEmpty()).as("any change here forgets every answer").isTrue();
        }
    }

    @Nested
    class UsersRepository {
        @Test
        void aUserAddedChangedOrRemovedHereShouldBeSeenAtOnceAndReadsBeServedFromMemory() throws Exception {
            CachingJpaDomainList domains = new CachingJpaDomainList(null, entityManagerFactory);
            domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false)
                .defaultDomain(Domain.of("localhost")).build());
            domains.addDomain(Domain.of("users.example"));
            CachingJpaUsersRepository users = new CachingJpaUsersRepository(domains, entityManagerFactory);
            BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
            configuration.addProperty("algorithm", "PBKDF2-SHA512");
            configuration.addProperty("enableVirtualHosting", true);
            users.configure(configuration);
            Username alice = Username.of("alice@users.example");

            assertThat(users.getUserByName(alice)).isNull();
            users.addUser(alice, "first secret");
            assertThat(users.test(alice, "first secret")).isTrue();

            behindTheirBack("UPDATE JAMES_USER SET PASSWORD = 'replaced' WHERE USER_NAME = 'alice@users.example'");
            assertThat(users.test(alice, "first secret")).as("the user kept in memory").isTrue();

            User stored = users.getUserByName(alice);
            stored.setPassword("second secret");
            users.updateUser(stored);
            assertThat(users.test(alice, "first secret")).as("a new password here forgets every user").isFalse();
            assertThat(users.test(alice, "second secret")).isTrue();

            users.removeUser(alice);
            assertThat(users.test(alice, "second secret")).as("a removed user at once").isFalse();
            assertThat(users.getUserByName(alice)).isNull();
        }
    }

    @Nested
    class Cache {
        private final AtomicLong now = new AtomicLong();
        private final AtomicInteger loads = new AtomicInteger();
        private final ReadCache<String, String> cache = new ReadCache<>(Duration.ofSeconds(10), 3, now::get);

        private String load(String key) {
            return key + "#" + loads.incrementAndGet();
        }

        @Test
        void anAnswerShouldBeKeptForItsTimeToLiveThenLoadedAgain() {
            assertThat(cache.get("a", this::load)).isEqualTo("a#1");
            now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
            assertThat(cache.get("a", this::load)).isEqualTo("a#1");
            now.addAndGet(1);
            assertThat(cache.get("a", this::load)).isEqualTo("a#2");
        }

        @Test
        void anAnswerLoadedWhileAWriteHappensShouldNotBeServedAfterIt() {
            String answer = cache.get("a", key -> {
                cache.invalidateAll();
                return load(key);
            });
            assertThat(answer).isEqualTo("a#1");
            assertThat(cache.get("a", this::load)).isEqualTo("a#2");
            assertThat(cache.get("a", this::load)).isEqualTo("a#2");
        }

        @Test
        void aFullCacheShouldStartAgainEmpty() {
            cache.get("a", this::load);
            cache.get("b", this::load);
            cache.get("c", this::load);
            assertThat(cache.size()).isEqualTo(3);
            cache.get("d", this::load);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.get("d", this::load)).isEqualTo("d#4");
        }
    }
}
