package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SenderCompletionTest {
    private static final String ALICE = "alice@example.test";
    /** Alice may send as herself and as her alias a.liddell@example.test. */
    private static final Set<String> ALICE_MAY_SEND_AS = Set.of("alice@example.test", "a.liddell@example.test");
    private final SenderCompletion completion = new SenderCompletion(address -> ALICE_MAY_SEND_AS.contains(address.toLowerCase()));

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Author {
        Stream<Arguments> fromFieldsWithAlice() {
            return Stream.of(
                Arguments.of(List.of("alice@example.test"), List.of()),
                Arguments.of(List.of("Alice <ALICE@Example.Test>"), List.of()),
                Arguments.of(List.of("Alice Liddell <a.liddell@example.test>"), List.of()),
                Arguments.of(List.of("=?UTF-8?B?0JDQu9C40YHQsA==?= <alice@example.test>"), List.of()),
                Arguments.of(List.of("\"=?UTF-8?Q?Alice_Liddell?=\" <a.liddell@example.test>"), List.of()),
                Arguments.of(List.of("carol@example.com, alice@example.test"), List.of("carol@example.com")),
                Arguments.of(List.of("Team: carol@example.com, Alice <alice@example.test>;"), List.of()),
                Arguments.of(List.of("alice@example.test"), List.of("Carol <carol@example.com>")));
        }

        @ParameterizedTest
        @MethodSource("fromFieldsWithAlice")
        void senderShouldLeaveTheMessageAloneWhenTheUserIsAnAuthor(List<String> from, List<String> sender) {
            assertThat(completion.sender(ALICE, from, sender)).isEmpty();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class NotAnAuthor {
        Stream<Arguments> fromFieldsWithoutAlice() {
            return Stream.of(
                Arguments.of(List.of("carol@example.com"), List.of()),
                Arguments.of(List.of("Alice <alice@example.com>"), List.of()),
                Arguments.of(List.of("=?UTF-8?B?QWxpY2U=?= <bob@example.test>"), List.of()),
                Arguments.of(List.of("carol@example.com, dave@example.com"), List.of("carol@example.com")),
                Arguments.of(List.of("Team: carol@example.com, dave@example.com;"), List.of()),
                Arguments.of(List.of("undisclosed-recipients:;"), List.of()),
                Arguments.of(List.of(), List.of()),
                Arguments.of(List.of("Alice <alice@example.test"), List.of()),
                Arguments.of(List.of("alice"), List.of()),
                Arguments.of(List.of("carol@example.com"), List.of("Carol <carol@example.com>")),
                Arguments.of(List.of("carol@example.com"), List.of("garbage <")),
                Arguments.of(List.of("carol@example.com"), List.of("alice@example.test", "alice@example.test")),
                Arguments.of(List.of("carol@example.com"), List.of("alice@example.test, bob@example.test")),
                Arguments.of(List.of("carol@example.com"), List.of("a.liddell@example.test")));
        }

        @ParameterizedTest
        @MethodSource("fromFieldsWithoutAlice")
        void senderShouldBeTheUsersBareAddressWhenTheUserIsNotAnAuthor(List<String> from, List<String> sender) {
            assertThat(completion.sender(ALICE, from, sender)).contains(ALICE);
        }

        Stream<Arguments> sendersNamingAlice() {
            return Stream.of(
                Arguments.of(List.of("alice@example.test")),
                Arguments.of(List.of("Alice Liddell <Alice@Example.TEST>")),
                Arguments.of(List.of("=?UTF-8?B?0JDQu9C40YHQsA==?= <alice@example.test>")));
        }

        @ParameterizedTest
        @MethodSource("sendersNamingAlice")
        void senderShouldKeepASenderThatAlreadyNamesTheUser(List<String> sender) {
            assertThat(completion.sender(ALICE, List.of("carol@example.com"), sender)).isEqualTo(Optional.empty());
        }
    }
}
