package org.msa4james.auth;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

import org.apache.james.user.api.model.User;
import org.apache.james.user.lib.model.DefaultUser;

/**
 * What a user's password check depends on besides the password tried: the user name (James salts with it), the hash
 * algorithm and the stored hash, as one string. Two checks of one password against users with equal stored
 * credentials give the same answer, and a password change, or any change of algorithm or hash, changes the string.
 *
 * <p>James 3.8.1 exposes the stored hash of {@link DefaultUser} (the memory and Cassandra users repositories). Its JPA
 * user ({@code org.apache.james.user.jpa.model.JPAUser}, the persistent server) keeps it in private fields, read here
 * through the accessors its build-time enhancement generates for them ({@code pcGetname}, {@code pcGetalg},
 * {@code pcGetpassword}: the ones its own {@code verifyPassword} uses), or else the fields themselves. Any other kind of
 * user (LDAP, or a JPA user whose class no longer has these members) has no stored credential here: its AUTH is never
 * cached.</p>
 */
public final class StoredPassword {
    static final String JPA_USER_CLASS = "org.apache.james.user.jpa.model.JPAUser";
    private static final char SEPARATOR = '\u0000';

    private StoredPassword() {
    }

    /** The stored credential of this user, or empty when this kind of user does not expose it. */
    public static Optional<String> of(User user) {
        if (user instanceof DefaultUser) {
            DefaultUser defaultUser = (DefaultUser) user;
            if (defaultUser.getHashedPassword() == null || defaultUser.getHashAlgorithm() == null) {
                return Optional.empty();
            }
            return Optional.of(join(defaultUser.getUserName().asString(), defaultUser.getHashAlgorithm().asString(),
                defaultUser.getHashedPassword()));
        }
        if (user != null && user.getClass().getName().equals(JPA_USER_CLASS)) {
            return JpaUserFields.read(user);
        }
        return Optional.empty();
    }

    private static String join(String name, String algorithm, String hash) {
        return name + SEPARATOR + algorithm + SEPARATOR + hash;
    }

    /** Reads the name, algorithm and hash of a JPA user; looked up once, for the JPA user class met first. */
    private static final class JpaUserFields {
        private static volatile ForClass reader;

        static Optional<String> read(User user) {
            ForClass current = reader;
            if (current == null || !current.handles(user.getClass())) {
                current = readerFor(user.getClass());
                reader = current;
            }
            return current.read(user);
        }

        private static ForClass readerFor(Class<?> userClass) {
            Optional<Accessor> name = accessor(userClass, "name");
            Optional<Accessor> algorithm = accessor(userClass, "alg");
            Optional<Accessor> password = accessor(userClass, "password");
            if (name.isEmpty() || algorithm.isEmpty() || password.isEmpty()) {
                return new ForClass(userClass, null, null, null);
            }
            return new ForClass(userClass, name.get(), algorithm.get(), password.get());
        }

        /** The enhancer's static accessor {@code pcGet<field>(JPAUser)} when there is one, else the field itself. */
        private static Optional<Accessor> accessor(Class<?> userClass, String field) {
            try {
                Method method = userClass.getDeclaredMethod("pcGet" + field, userClass);
                if (Modifier.isStatic(method.getModifiers()) && method.getReturnType() == String.class) {
                    method.setAccessible(true);
                    return Optional.of(user -> (String) method.invoke(null, user));
                }
            } catch (NoSuchMethodException | RuntimeException e) {
                // not enhanced, or not accessible: try the field
            }
            try {
                Field declared = userClass.getDeclaredField(field);
                if (declared.getType() == String.class) {
                    declared.setAccessible(true);
                    return Optional.of(user -> (String) declared.get(user));
                }
            } catch (NoSuchFieldException | RuntimeException e) {
                // reported as no stored credential
            }
            return Optional.empty();
        }

        private interface Accessor {
            String get(Object user) throws IllegalAccessException, InvocationTargetException;
        }

        private static final class ForClass {
            private final Class<?> userClass;
            private final Accessor name;
            private final Accessor algorithm;
            private final Accessor password;

            private ForClass(Class<?> userClass, Accessor name, Accessor algorithm, Accessor password) {
                this.userClass = userClass;
                this.name = name;
                this.algorithm = algorithm;
                this.password = password;
            }

            boolean handles(Class<?> other) {
                return userClass == other;
            }

            Optional<String> read(User user) {
                if (name == null) {
                    return Optional.empty();
                }
                try {
                    String storedName = name.get(user);
                    String storedAlgorithm = algorithm.get(user);
                    String storedHash = password.get(user);
                    if (storedName == null || storedAlgorithm == null || storedHash == null) {
                        return Optional.empty();
                    }
                    return Optional.of(join(storedName, storedAlgorithm, storedHash));
                } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
    }
}
