package org.msa4james.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.apache.james.core.Username;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.model.JPAUser;
import org.apache.james.user.lib.model.Algorithm;
import org.apache.james.user.lib.model.DefaultUser;
import org.junit.jupiter.api.Test;

class StoredPasswordTest {
    private static final Username ALICE = Username.of("alice@example.test");
    private static final Algorithm PBKDF2 = Algorithm.of("PBKDF2-SHA512");

    @Test
    void aDefaultUserShouldExposeItsNameAlgorithmAndHash() {
        DefaultUser user = new DefaultUser(ALICE, PBKDF2, PBKDF2);
        user.setPassword("secret");

        assertThat(StoredPassword.of(user)).contains(
            "alice@example.test\u0000" + PBKDF2.asString() + "\u0000" + user.getHashedPassword());
    }

    @Test
    void aPasswordChangeShouldChangeTheStoredCredentialOfADefaultUser() {
        DefaultUser user = new DefaultUser(ALICE, PBKDF2, PBKDF2);
        user.setPassword("secret");
        String before = StoredPassword.of(user).orElseThrow();

        user.setPassword("another");

        assertThat(StoredPassword.of(user)).isPresent().get().isNotEqualTo(before);
    }

    @Test
    void aDefaultUserWithoutPasswordShouldHaveNoStoredCredential() {
        assertThat(StoredPassword.of(new DefaultUser(ALICE, PBKDF2, PBKDF2))).isEmpty();
    }

    @Test
    void aJpaUserShouldExposeItsNameAlgorithmAndHash() {
        JPAUser user = new JPAUser("alice@example.test", "secret", "PBKDF2-SHA512");

        String stored = StoredPassword.of(user).orElseThrow();

        assertThat(stored).startsWith("alice@example.test\u0000PBKDF2-SHA512\u0000").doesNotContain("secret");
        assertThat(stored.substring(stored.lastIndexOf('\u0000') + 1)).isNotEmpty();
    }

    @Test
    void aPasswordChangeShouldChangeTheStoredCredentialOfAJpaUser() {
        JPAUser user = new JPAUser("alice@example.test", "secret", "PBKDF2-SHA512");
        String before = StoredPassword.of(user).orElseThrow();

        user.setPassword("another");

        assertThat(StoredPassword.of(user)).isPresent().get().isNotEqualTo(before);
        user.setPassword("secret");
        assertThat(StoredPassword.of(user)).contains(before);
    }

    @Test
    void anyOtherKindOfUserShouldHaveNoStoredCredential() {
        assertThat(StoredPassword.of(mock(User.class))).isEmpty();
        assertThat(StoredPassword.of(null)).isEmpty();
    }
}
