package org.msa4james.headercheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msa4james.address.DomainQualifier;
import org.msa4james.headercheck.HeaderProblem.Kind;

class HeaderCheckTest {
    private static final Set<String> LOCAL_DOMAINS = Set.of("example.test", "sales.example.test");
    private final HeaderCheck check = new HeaderCheck(new DomainQualifier(
        Map.of("sales", "sales.example.test", "corp", "example.test"), Set.of(), LOCAL_DOMAINS::contains));

    @Nested
    class Fields {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "Subject: hello|Subject|hello",
            "Subject:hello|Subject|hello",
            "'Subject :   hello  '|Subject|'hello  '",
            "X-Empty:|X-Empty|''",
            "no colon at all|no colon at all|''",
            "Time: 10:00|Time|10:00"
        })
        void parseShouldSplitAtTheFirstColon(String line, String name, String value) {
            HeaderField field = HeaderField.parse(line);

            assertThat(field.name()).isEqualTo(name);
            assertThat(field.value()).isEqualTo(value);
            assertThat(field.line()).isEqualTo(line);
        }

        @Test
        void parseShouldKeepFoldingInsideTheValue() {
            HeaderField field = HeaderField.parse("To:\r\n bob@example.test,\r\n\tcarol@example.com");

            assertThat(field.name()).isEqualTo("To");
            assertThat(field.value()).isEqualTo("bob@example.test,\r\n\tcarol@example.com");
        }

        @Test
        void eightBitShouldBeAnyCharacterAbove0x7f() {
            assertThat(HeaderField.parse("Subject: caf\u00e9").hasEightBitCharacters()).isTrue();
            assertThat(HeaderField.parse("Subject: \u0080").hasEightBitCharacters()).isTrue();
            assertThat(HeaderField.parse("Subject: \ufffd").hasEightBitCharacters()).isTrue();
            assertThat(HeaderField.parse("Subject: =?ISO-8859-1?Q?caf=E9?= ~\u007f").hasEightBitCharacters()).isFalse();
        }
    }

    @Nested
    class Order {
        @Test
        void structureShouldComeBeforeSyntax() {
            assertThat(problem("From: bob@\r\nFrom: alice@example.test"))
                .isEqualTo(new HeaderProblem(Kind.REPEATED, "From", "2"));
        }

        @Test
        void syntaxShouldFollowTheFieldOrderNotTheHeaderOrder() {
            assertThat(problem("Cc: carol@\r\nFrom: alice@\r\nTo: bob@"))
                .isEqualTo(new HeaderProblem(Kind.INVALID_SYNTAX, "From", "missing domain"));
        }

        @Test
        void eightBitShouldComeBeforeQualification() {
            assertThat(problem("From: alice@example.test\r\nTo: bob@squeaky.sales\r\nSubject: \u00fcber"))
                .isEqualTo(new HeaderProblem(Kind.EIGHT_BIT, "Subject", ""));
        }

        @Test
        void eightBitShouldBeReportedForTheFirstFieldInHeaderOrder() {
            assertThat(problem("X-B: \u00e9\r\nFrom: alice@example.test\r\nSubject: \u00fcber"))
                .isEqualTo(new HeaderProblem(Kind.EIGHT_BIT, "X-B", ""));
        }

        @Test
        void eightBitShouldNotBeJudgedInTheServersOwnReceivedField() {
            assertThat(check.check(fields("Received: from localhost (EHLO b\u00fccher) ([127.0.0.1])\r\n by msa.example.test"
                    + " with ESMTPA ID 1\r\nFrom: alice@example.test\r\nTo: bob@example.com")).problem())
                .isEmpty();
        }

        @Test
        void authorsShouldBeCheckedBeforeEightBit() {
            assertThat(problem("From: a@example.test, b@example.test\r\nSubject: \u00fcber"))
                .isEqualTo(new HeaderProblem(Kind.SEVERAL_AUTHORS_WITHOUT_SENDER, "From", ""));
        }
    }

    @Nested
    class Authors {
        @Test
        void authorsShouldBeTheFromMailboxesWithExpandedDomains() {
            HeaderCheck.Result result = check.check(fields(
                "From: Alice <alice@corp>, \"Bob\" <bob@example.test>, team: carol@sales;\r\nSender: alice@example.test"));

            assertThat(result.problem()).isEmpty();
            assertThat(result.authors()).containsExactly(
                new HeaderCheck.Author("alice@corp", "alice@example.test"),
                new HeaderCheck.Author("bob@example.test", "bob@example.test"),
                new HeaderCheck.Author("carol@sales", "carol@sales.example.test"));
        }

        @Test
        void aResentSenderShouldAlsoBeOneMailbox() {
            assertThat(problem("From: alice@example.test\r\nResent-Sender: a@example.test, b@example.test"))
                .isEqualTo(new HeaderProblem(Kind.NOT_ONE_MAILBOX, "Resent-Sender", ""));
        }

        @Test
        void aGroupInSenderShouldBeRefused() {
            assertThat(problem("From: alice@example.test\r\nSender: team: alice@example.test;"))
                .isEqualTo(new HeaderProblem(Kind.NOT_ONE_MAILBOX, "Sender", ""));
        }

        @Test
        void severalResentBlocksShouldBeAllowed() {
            HeaderCheck.Result result = check.check(fields("Resent-From: alice@example.test\r\nResent-To: bob@example.test\r\n"
                + "Resent-From: bob@example.test\r\nResent-To: carol@example.com\r\nFrom: dave@example.com"));

            assertThat(result.problem()).isEmpty();
        }
    }

    private HeaderProblem problem(String header) {
        return check.check(fields(header)).problem().orElseThrow(() -> new AssertionError("no problem found in " + header));
    }

    /** Header lines separated by CRLF; a line that starts with white space continues the previous field. */
    private static List<HeaderField> fields(String header) {
        return Arrays.stream(header.split("\r\n(?![ \t])"))
            .map(HeaderField::parse)
            .collect(Collectors.toList());
    }
}
