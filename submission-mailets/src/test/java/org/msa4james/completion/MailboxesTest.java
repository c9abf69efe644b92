package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxesTest {

    private static Mailbox mailbox(String displayName, String localPart, String domain) {
        return new Mailbox(Optional.ofNullable(displayName), localPart, Optional.of(domain));
    }

    static Stream<Arguments> fields() {
        return Stream.of(
            Arguments.of("alice@example.test", List.of(mailbox(null, "alice", "example.test"))),
            Arguments.of("Alice Liddell <alice@example.test>", List.of(mailbox("Alice Liddell", "alice", "example.test"))),
            Arguments.of("\"Liddell, Alice\" <alice@example.test>", List.of(mailbox("Liddell, Alice", "alice", "example.test"))),
            Arguments.of("=?UTF-8?B?0JDQu9C40YHQsA==?= <alice@example.test>", List.of(mailbox("\u0410\u043b\u0438\u0441\u0430", "alice", "example.test"))),
            Arguments.of("=?UTF-8?Q?Alice_Lidd=C3=A9ll?= <alice@example.test>", List.of(mailbox("Alice Lidd\u00e9ll", "alice", "example.test"))),
            Arguments.of("=?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.test>", List.of(mailbox("Andr\u00e9 Pirard", "pirard", "example.test"))),
            Arguments.of("alice@example.test (Alice)", List.of(mailbox(null, "alice", "example.test"))),
            Arguments.of("Alice\r\n <alice@example.test>,\r\n\tbob@example.test",
                List.of(mailbox("Alice", "alice", "example.test"), mailbox(null, "bob", "example.test"))),
            Arguments.of("Team: alice@example.test, Carol <carol@example.com>;",
                List.of(mailbox(null, "alice", "example.test"), mailbox("Carol", "carol", "example.com"))),
            Arguments.of("undisclosed-recipients:;", List.of()),
            Arguments.of("\"a b\"@example.test", List.of(mailbox(null, "a b", "example.test"))));
    }

    @ParameterizedTest
    @MethodSource("fields")
    void parseShouldReadTheMailboxesWithDecodedDisplayNames(String value, List<Mailbox> expected) {
        assertThat(Mailboxes.parse(List.of(value))).contains(expected);
    }

    @Test
    void parseShouldConcatenateSeveralFields() {
        assertThat(Mailboxes.parse(List.of("alice@example.test", "Bob <bob@example.test>")))
            .contains(List.of(mailbox(null, "alice", "example.test"), mailbox("Bob", "bob", "example.test")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice <alice@example.test", "alice", "<>", "alice@", "Alice alice@example.test",
        "\u0410\u043b\u0438\u0441\u0430 <alice@example.test>", "alice@example.test;", "a@b@c"})
    void parseShouldBeEmptyForAFieldThatIsNotAnAddressList(String value) {
        assertThat(Mailboxes.parse(List.of("bob@example.test", value))).isEmpty();
    }

    static Stream<String> anyValue() {
        return Stream.concat(fields().map(arguments -> (String) arguments.get()[0]), Stream.of(
            "Alice <alice@example.test", "alice", "<>", "alice@", "Alice alice@example.test",
            "\u0410\u043b\u0438\u0441\u0430 <alice@example.test>", "alice@example.test;", "a@b@c",
            "alice@[192.0.2.1]", "<@relay.example.test:alice@example.test>", "alice @ example . test",
            "alice(comment)@example.test", "\"alice\"@example.test", "Alice <ALICE@Example.Test>",
            "alice@example.test, , bob@example.test", "\"Team\": alice@example.test;", "alice@example.test\r\n (x)"));
    }

    @ParameterizedTest
    @MethodSource("anyValue")
    void addressesShouldAlwaysGiveWhatParseGives(String value) {
        Optional<List<String>> expected = Mailboxes.parse(List.of("bob@example.test", value))
            .map(mailboxes -> mailboxes.stream().map(Mailbox::address).collect(Collectors.toList()));

        assertThat(Mailboxes.addresses(List.of("bob@example.test", value))).isEqualTo(expected);
    }

    @Test
    void addressShouldJoinLocalPartAndDomain() {
        assertThat(mailbox("Alice", "alice", "example.test").address()).isEqualTo("alice@example.test");
    }

    @Test
    void parseMailboxShouldReadASingleMailbox() {
        assertThat(Mailboxes.parseMailbox("Alice <alice@example.test>")).contains(mailbox("Alice", "alice", "example.test"));
        assertThat(Mailboxes.parseMailbox("alice@example.test, bob@example.test")).isEmpty();
        assertThat(Mailboxes.parseMailbox("Team: alice@example.test;")).isEmpty();
    }
}
