package org.msa4james.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressListTest {

    static Stream<Arguments> validLists() {
        return Stream.of(
            Arguments.of("alice@example.test", List.of("alice@example.test")),
            Arguments.of("Alice <alice@example.test>", List.of("alice@example.test")),
            Arguments.of("\"Liddell, Alice\" <alice@example.test>", List.of("alice@example.test")),
            Arguments.of("=?UTF-8?B?w4lsaXNl?= <elise@example.test>, bob@example.com", List.of("elise@example.test", "bob@example.com")),
            Arguments.of("alice@example.test (Alice Liddell)", List.of("alice@example.test")),
            Arguments.of("Alice (work) <alice (mailbox) @ (host) example.test (end)>", List.of("alice@example.test")),
            Arguments.of("\"john doe\"@example.com", List.of("\"john doe\"@example.com")),
            Arguments.of("john.q.public@example.com", List.of("john.q.public@example.com")),
            Arguments.of("bob@[192.0.2.1]", List.of("bob@[192.0.2.1]")),
            Arguments.of("bob@[IPv6:2001:db8::1]", List.of("bob@[IPv6:2001:db8::1]")),
                    Arguments.of("undisclosed-recipients:;", List.of()),
            Arguments.of("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;", List.of("c@a.test", "joe@where.test", "jdoe@one.test")),
            Arguments.of("friends: alice@example.test, bob@example.test; , carol@example.com", List.of("alice@example.test", "bob@example.test", "carol@example.com")),
            Arguments.of("alice@example.test,\r\n bob@example.test", List.of("alice@example.test", "bob@example.test")),
            Arguments.of(", alice@example.test, ,bob@example.test,", List.of("alice@example.test", "bob@example.test")),
            Arguments.of("Joe Q. Public <john.q.public@example.com>", List.of("john.q.public@example.com")),
            Arguments.of("<@route.example,@other.example:bob@example.com>", List.of("bob@example.com")),
            Arguments.of("bob@sales", List.of("bob@sales")),
            Arguments.of("Jörg <jörg@bücher.example>", List.of("jörg@bücher.example")));
    }

    static Stream<Arguments> invalidLists() {
        return Stream.of(
            Arguments.of("", "no address"),
            Arguments.of("   ", "no address"),
            Arguments.of("Alice Liddell", "'Alice Liddell' is not an address"),
            Arguments.of("alice@", "missing domain"),
            Arguments.of("@example.test", "missing local part"),
            Arguments.of("alice@@example.test", "missing domain"),
            Arguments.of("alice@example..test", "empty label after 'example.' in the domain"),
            Arguments.of("alice@example.test.", "empty label after 'example.test.' in the domain"),
            Arguments.of("alice.@example.test", "'.' at the end of local part 'alice.'"),
            Arguments.of("Alice <alice@example.test", "expected '>' closing the address opened at position 7 at the end"),
            Arguments.of("Alice <>", "empty address '<>'"),
            Arguments.of("<alice>", "address 'alice' has no '@domain'"),
            Arguments.of("a b@example.com", "address 'a' has no '@domain'"),
            Arguments.of("alice@example.test bob@example.test", "expected ',' between addresses, found 'b'"),
            Arguments.of("\"unterminated@example.test", "quoted string is not closed"),
            Arguments.of("alice@example.test (comment", "comment is not closed with ')'"),
            Arguments.of("group: alice@example.test", "group 'group' is not closed with ';'"),
            Arguments.of("bob@[192.0.2.1", "domain literal is not closed with ']'"),
            Arguments.of("alice@example.test;", "expected ',' between addresses, found ';'"));
    }

    private static List<String> addresses(String value) throws AddressSyntaxException {
        return AddressList.parse(value).mailboxes().stream().map(AddressList.Mailbox::address).collect(Collectors.toList());
    }

    @Nested
    class Parsing {

        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("org.msa4james.address.AddressListTest#validLists")
        void parseShouldFindEveryMailbox(String value, List<String> expected) throws Exception {
            assertThat(addresses(value)).containsExactlyElementsOf(expected);
        }

        @Test
        void parseShouldKeepDisplayNamesAndGroupsAsWritten() throws Exception {
            AddressList list = AddressList.parse("team: \"Liddell, Alice\" <alice@example.test>;, =?UTF-8?Q?Bj=C3=B6rn?= <bjorn@example.com>");

            assertThat(list.groupCount()).isEqualTo(1);
            assertThat(list.mailboxes().get(0).displayName()).contains("\"Liddell, Alice\"");
            assertThat(list.mailboxes().get(0).group()).contains("team");
            assertThat(list.mailboxes().get(1).displayName()).contains("=?UTF-8?Q?Bj=C3=B6rn?=");
            assertThat(list.mailboxes().get(1).group()).isEmpty();
        }


        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("org.msa4james.address.AddressListTest#invalidLists")
        void parseShouldSayWhatIsWrong(String value, String problem) {
            assertThatThrownBy(() -> AddressList.parse(value))
                .isInstanceOf(AddressSyntaxException.class)
                .hasMessage(problem);
        }
    }

    @Nested
    class Rewriting {
        @Test
        void rewriteShouldReplaceOnlyTheChosenDomains() throws Exception {
            String value = "team: \"Liddell, Alice\" <alice@sales> (work);, =?UTF-8?Q?Bj=C3=B6rn?= <bjorn@example.com>,\r\n bob@eng";
            AddressList list = AddressList.parse(value);

            String rewritten = list.rewrite(mailbox -> mailbox.domain().contains(".")
                ? Optional.empty()
                : Optional.of(mailbox.withDomain(mailbox.domain() + ".example.test", list)));

            assertThat(rewritten).isEqualTo(
                "team: \"Liddell, Alice\" <alice@sales.example.test> (work);, =?UTF-8?Q?Bj=C3=B6rn?= <bjorn@example.com>,\r\n bob@eng.example.test");
        }

        @Test
        void rewriteShouldKeepCommentsInsideTheAddressWhenOnlyTheDomainChanges() throws Exception {
            AddressList list = AddressList.parse("Alice <alice (box) @ (host) sales>");

            assertThat(list.rewrite(mailbox -> Optional.of(mailbox.withDomain("sales.example.test", list))))
                .isEqualTo("Alice <alice (box) @ (host) sales.example.test>");
        }

        @Test
        void rewriteShouldReplaceWholeAddresses() throws Exception {
            AddressList list = AddressList.parse("\"J. R. User\" <jru@corp.example.test>, other@example.com");

            assertThat(list.rewrite(mailbox -> mailbox.address().equals("jru@corp.example.test")
                    ? Optional.of("J.Random.User@example.test")
                    : Optional.empty()))
                .isEqualTo("\"J. R. User\" <J.Random.User@example.test>, other@example.com");
        }

        @Test
        void rewriteShouldReturnTheSameTextWhenNothingIsReplaced() throws Exception {
            String value = "A Group:Ed Jones <c@a.test>,joe@where.test (Joe);";

            assertThat(AddressList.parse(value).rewrite(mailbox -> Optional.empty())).isSameAs(value).isEqualTo(value);
        }
    }
}
