package org.msa4james.server.persistent;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JPA database of the persistent server: users and their password hashes, domains, recipient rewrites
 * (aliases), mail repository URLs, mailboxes, messages, flags, quotas, and msa4james's delegations.
 *
 * <p>By default an embedded Derby database in {@code <data directory>/derby}, created at the first start. Derby
 * writes and syncs its transaction log at each commit (its default durability, {@code derby.system.durability} unset):
 * a user, domain or alias created over webadmin, or a message delivered to a mailbox, is on disk when the call
 * returns. {@code conf/james-database.properties} may name another database ({@code database.driverClassName},
 * {@code database.url}, {@code database.username}, {@code database.password}, and {@code openjpa.*} properties), whose
 * JDBC driver jar then goes into {@code lib/}.</p>
 *
 * <p>{@link #close()} closes the factory, which shuts an embedded Derby database down (OpenJPA's Derby dictionary does
 * it when the last factory closes), so that its files are consistent on disk when James stops and the same database
 * can be opened again in this process.</p>
 */
@Singleton
public final class JpaStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(JpaStore.class);
    /** The persistence unit of META-INF/persistence.xml in this jar. */
    public static final String PERSISTENCE_UNIT = "msa4james";
    public static final String DATABASE_FILE = "james-database";
    static final String DERBY_DRIVER = "org.apache.derby.jdbc.EmbeddedDriver";
    static final String DERBY_DIRECTORY = "file://var/derby";

    private final EntityManagerFactory entityManagerFactory;
    private final String url;

    @Inject
    public JpaStore(FileSystem fileSystem, PropertiesProvider propertiesProvider) throws ConfigurationException, FileNotFoundException {
        Map<String, String> properties = properties(fileSystem, propertiesProvider);
        this.url = properties.get("openjpa.ConnectionURL");
        LOGGER.info("Opening the database {}", url);
        this.entityManagerFactory = Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, properties);
        // OpenJPA connects lazily: connect now, so that a database that cannot be opened stops James at start
        entityManagerFactory.createEntityManager().close();
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @PreDestroy
    public void close() {
        if (entityManagerFactory.isOpen()) {
            entityManagerFactory.close();
            LOGGER.info("Closed the database {}", url);
        }
    }

    private static Map<String, String> properties(FileSystem fileSystem, PropertiesProvider propertiesProvider)
        throws ConfigurationException, FileNotFoundException {
        Map<String, String> properties = new LinkedHashMap<>();
        Optional<Configuration> site = siteConfiguration(propertiesProvider);
        Optional<Configuration> configuration = site.filter(database -> database.getString("database.url") != null);
        if (configuration.isEmpty()) {
            File derby = fileSystem.getFile(DERBY_DIRECTORY);
            properties.put("openjpa.ConnectionDriverName", DERBY_DRIVER);
            properties.put("openjpa.ConnectionURL", "jdbc:derby:" + derby.getAbsolutePath() + ";create=true");
        } else {
            Configuration database = configuration.get();
            properties.put("openjpa.ConnectionDriverName", required(database, "database.driverClassName"));
            properties.put("openjpa.ConnectionURL", database.getString("database.url"));
            if (database.getString("database.username") != null) {
                properties.put("openjpa.ConnectionUserName", database.getString("database.username"));
                properties.put("openjpa.ConnectionPassword", database.getString("database.password", ""));
            }
        }
        properties.put("openjpa.Multithreaded", "true");
        if (site.isPresent()) {
            Iterator<String> keys = site.get().getKeys("openjpa");
            while (keys.hasNext()) {
                String key = keys.next();
                properties.put(key, site.get().getString(key));
            }
        }
        return properties;
    }

    /** conf/james-database.properties, when the site wrote one. */
    private static Optional<Configuration> siteConfiguration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return Optional.of(propertiesProvider.getConfiguration(DATABASE_FILE));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String required(Configuration configuration, String key) throws ConfigurationException {
        String value = configuration.getString(key);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(DATABASE_FILE + ".properties: '" + key + "' is required with database.url");
        }
        return value;
    }
}
