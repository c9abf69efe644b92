package org.msa4james.concealment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msa4james.address.AddressSyntaxException;

class RewriteMapTest {
    private static final String SOURCE = "/opt/msa/conf/address-rewrite.map";
    private static final String SITE_MAP = "# the site's rules\n"
        + "jru@corp.example.test            J.Random.User@example.test\n"
        + "@squeaky.sales.example.test      @example.test        # internal host\n"
        + "boss@squeaky.sales.example.test  The.Boss@example.test\n";

    private static RewriteMap parse(String text) throws RewriteMapException {
        return RewriteMap.parse(SOURCE, text.getBytes(StandardCharsets.UTF_8));
    }

    private static RewriteMap siteMap() throws RewriteMapException {
        return parse(SITE_MAP);
    }

    @Nested
    class Parsing {
        @Test
        void parseShouldReadAddressAndDomainRules() throws Exception {
            RewriteMap map = siteMap();

            assertThat(map.size()).isEqualTo(3);
            assertThat(map.isEmpty()).isFalse();
        }

        @Test
        void parseShouldGiveAnEmptyMapForCommentsAndBlankLinesOnly() throws Exception {
            RewriteMap map = parse("# nothing yet\n\n   \n\t# indented comment\n");

            assertThat(map.isEmpty()).isTrue();
            assertThat(map.size()).isZero();
        }

        @Test
        void parseShouldGiveAnEmptyMapForAnEmptyFile() throws Exception {
            assertThat(parse("").isEmpty()).isTrue();
        }

        @Test
        void parseShouldAcceptCrLfTabsByteOrderMarkAndNoFinalLineBreak() throws Exception {
            RewriteMap map = parse("\uFEFF# saved by a Windows editor\r\n"
                + "jru@corp.example.test\tJ.Random.User@example.test\r\n"
                + "\t@squeaky.sales.example.test \t @example.test\t# comment after a tab");

            assertThat(map.size()).isEqualTo(2);
            assertThat(map.rewriteAddress("jru", "corp.example.test")).contains("J.Random.User@example.test");
            assertThat(map.rewriteAddress("bob", "squeaky.sales.example.test")).contains("bob@example.test");
        }

        @Test
        void parseShouldAcceptNonAsciiTextInComments() throws Exception {
            RewriteMap map = parse("# Jürgen's login, ask Zoë\njru@corp.example.test J.Random.User@example.test # Jürgen\n");

            assertThat(map.size()).isEqualTo(1);
        }

        @Test
        void parseShouldAcceptEveryAtextCharacterInLocalParts() throws Exception {
            RewriteMap map = parse("a!#$%&'*+-/=?^_`{|}~z@corp.example.test o'brien+list@example.test\n");

            assertThat(map.rewriteAddress("a!#$%&'*+-/=?^_`{|}~z", "corp.example.test")).contains("o'brien+list@example.test");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '\0', value = {
            "alice@example.test                          | missing the replacement after 'alice@example.test'",
            "alice@example.test   # no replacement       | missing the replacement after 'alice@example.test'",
            "alice@example.test a@example.test extra      | unexpected 'extra' after the replacement (a comment starts with '#')",
            "alice a@example.test                        | 'alice' is neither an address (local@domain) nor a domain (@domain)",
            "a@b@example.test a@example.test             | 'a@b@example.test' is neither an address (local@domain) nor a domain (@domain)",
            "jru@corp.example.test J.Random.User         | 'J.Random.User' is neither an address (local@domain) nor a domain (@domain)",
            "jr..u@corp.example.test a@example.test      | invalid local part 'jr..u' in 'jr..u@corp.example.test'",
            ".jru@corp.example.test a@example.test       | invalid local part '.jru' in '.jru@corp.example.test'",
            "\"jru\"@corp.example.test a@example.test    | invalid local part '\"jru\"' in '\"jru\"@corp.example.test'",
            "jru@corp.example.test j(r)u@example.test    | invalid local part 'j(r)u' in 'j(r)u@example.test'",
            "jru@corp_example.test a@example.test        | invalid domain 'corp_example.test' in 'jru@corp_example.test'",
            "jru@corp..example.test a@example.test       | invalid domain 'corp..example.test' in 'jru@corp..example.test'",
            "jru@[192.0.2.1] a@example.test              | invalid domain '[192.0.2.1]' in 'jru@[192.0.2.1]'",
            "@-bad.example.test @example.test            | invalid domain '-bad.example.test' in '@-bad.example.test'",
            "@ @example.test                             | invalid domain '' in '@'",
            "jru@corp.example.test j@exa_mple.test       | invalid domain 'exa_mple.test' in 'j@exa_mple.test'",
            "@corp.example.test @example.test.           | invalid domain 'example.test.' in '@example.test.'",
            "jru@corp.example.test @example.test         | the replacement of an address must be an address, not '@example.test'",
            "@corp.example.test jru@example.test         | the replacement of a domain must be '@domain', not 'jru@example.test'",
            "jru@corp.example.test J.R.User@example      | the domain 'example' of the replacement 'J.R.User@example' is not fully qualified",
            "@corp.example.test @example                 | the domain 'example' of the replacement '@example' is not fully qualified",
            "jru@corp.example.test J.R.User@192.0.2.1    | the domain '192.0.2.1' of the replacement 'J.R.User@192.0.2.1' is not fully qualified",
            "JRU@CORP.example.test x@example.test        | duplicate rule for 'JRU@CORP.example.test' (already on line 2)",
            "jrü@corp.example.test x@example.test        | 'jrü@corp.example.test' has a character that is not printable ASCII (write addresses in ASCII)",
            "jru@corp.example.test J.R.Üser@example.test | 'J.R.Üser@example.test' has a character that is not printable ASCII (write addresses in ASCII)",
        })
        void parseShouldNameTheFileTheLineAndTheProblem(String badLine, String problem) {
            String text = "# header\njru@corp.example.test J.Random.User@example.test\n" + badLine.strip() + "\n@x.example.test @example.test\n";

            assertThatThrownBy(() -> parse(text))
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(SOURCE + ", line 3: " + problem)
                .satisfies(e -> {
                    RewriteMapException exception = (RewriteMapException) e;
                    assertThat(exception.line()).isEqualTo(OptionalInt.of(3));
                    assertThat(exception.problem()).isEqualTo(problem);
                    assertThat(exception.source()).isEqualTo(SOURCE);
                });
        }

        @Test
        void parseShouldRejectADuplicateDomainRuleWhateverItsCase() {
            assertThatThrownBy(() -> parse("@Squeaky.Sales.Example.Test @example.test\n\n@squeaky.sales.example.test @example.org\n"))
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(SOURCE + ", line 3: duplicate rule for '@squeaky.sales.example.test' (already on line 1)");
        }

        @Test
        void parseShouldRejectALocalPartLongerThan64Characters() {
            String localPart = "a".repeat(65);

            assertThatThrownBy(() -> parse(localPart + "@corp.example.test x@example.test\n"))
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(SOURCE + ", line 1: invalid local part '" + localPart + "' in '" + localPart + "@corp.example.test'");
        }

        @Test
        void parseShouldRejectBytesThatAreNotUtf8() {
            byte[] content = "# ok\n# caf\u00e9 in Latin-1: \u00ff\njru@corp.example.test J.Random.User@example.test\n"
                .getBytes(StandardCharsets.ISO_8859_1);

            assertThatThrownBy(() -> RewriteMap.parse(SOURCE, content))
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(SOURCE + ", line 2: not UTF-8 text");
        }

        @Test
        void parseShouldAcceptARuleThatMapsAnAddressToItself() throws Exception {
            RewriteMap map = parse("jru@corp.example.test jru@corp.example.test\n");

            assertThat(map.rewriteAddress("jru", "corp.example.test")).contains("jru@corp.example.test");
        }
    }

    @Nested
    class Addresses {
        @ParameterizedTest(name = "[{index}] {0}@{1} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "jru            | corp.example.test           | J.Random.User@example.test",
            "JRU            | Corp.Example.TEST           | J.Random.User@example.test",
            "\"jru\"        | corp.example.test           | J.Random.User@example.test",
            "\"j\\ru\"      | corp.example.test           | J.Random.User@example.test",
            "bob            | squeaky.sales.example.test  | bob@example.test",
            "Bob.Smith      | SQUEAKY.sales.example.test  | Bob.Smith@example.test",
            "\"b o b\"      | squeaky.sales.example.test  | \"b o b\"@example.test",
            "boss           | squeaky.sales.example.test  | The.Boss@example.test",
            "BOSS           | squeaky.SALES.example.test  | The.Boss@example.test",
        })
        void rewriteAddressShouldApplyTheAddressRuleBeforeTheDomainRule(String localPart, String domain, String expected) throws Exception {
            assertThat(siteMap().rewriteAddress(localPart.strip(), domain.strip())).contains(expected);
        }

        @ParameterizedTest(name = "[{index}] {0}@{1}")
        @CsvSource(delimiter = '|', value = {
            "jru     | example.test",
            "jru     | corp.example.test.other",
            "jru.x   | corp.example.test",
            "bob     | a.squeaky.sales.example.test",
            "bob     | sales.example.test",
            "carol   | example.com",
            "jru     | [192.0.2.1]",
        })
        void rewriteAddressShouldLeaveAddressesNoRuleNames(String localPart, String domain) throws Exception {
            assertThat(siteMap().rewriteAddress(localPart.strip(), domain.strip())).isEmpty();
        }

        @Test
        void rewriteAddressShouldNotChainRules() throws Exception {
            RewriteMap map = parse("a@corp.example.test b@corp.example.test\nb@corp.example.test c@example.test\n");

            assertThat(map.rewriteAddress("a", "corp.example.test")).contains("b@corp.example.test");
        }

        @Test
        void emptyMapShouldRewriteNothing() {
            assertThat(RewriteMap.empty().rewriteAddress("jru", "corp.example.test")).isEmpty();
        }
    }

    @Nested
    class AddressLists {
        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '\0', value = {
            // display name kept
            "J R User <jru@corp.example.test>"
                + "|J R User <J.Random.User@example.test>",
            // RFC 2047 encoded word kept undecoded
            "=?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <jru@corp.example.test>"
                + "|=?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <J.Random.User@example.test>",
            // comment after the address kept
            "jru@corp.example.test (J. R. User)"
                + "|J.Random.User@example.test (J. R. User)",
            // quoted display name with a comma, second mailbox through the domain rule
            "\"User, J. R.\" <jru@corp.example.test>, bob@squeaky.sales.example.test"
                + "|\"User, J. R.\" <J.Random.User@example.test>, bob@example.test",
            // a group, its name and its members' display names kept
            "Team: jru@corp.example.test, Bob <bob@squeaky.sales.example.test>;"
                + "|Team: J.Random.User@example.test, Bob <bob@example.test>;",
            // case-insensitive match, case of the unmatched text kept
            "JRU <JRU@CORP.EXAMPLE.TEST>, Carol <carol@example.com>"
                + "|JRU <J.Random.User@example.test>, Carol <carol@example.com>",
            // domain rule: local part and the comment before the domain kept as written
            "\"b o b\"@(internal)squeaky.sales.example.test"
                + "|\"b o b\"@(internal)example.test",
            // address rule wins over the domain rule
            "Boss <boss@squeaky.sales.example.test>"
                + "|Boss <The.Boss@example.test>",
            // nothing to rewrite: the same text
            "Carol <carol@example.com>, undisclosed-recipients:;"
                + "|Carol <carol@example.com>, undisclosed-recipients:;",
        })
        void rewriteAddressListShouldReplaceOnlyTheAddresses(String value, String expected) throws Exception {
            assertThat(siteMap().rewriteAddressList(value)).isEqualTo(expected);
        }

        @Test
        void rewriteAddressListShouldKeepFoldingAndRawUtf8DisplayNames() throws Exception {
            String value = "\"Jürgen R. User\"\r\n <jru@corp.example.test>,\r\n\tbob@squeaky.sales.example.test";

            assertThat(siteMap().rewriteAddressList(value))
                .isEqualTo("\"Jürgen R. User\"\r\n <J.Random.User@example.test>,\r\n\tbob@example.test");
        }

        @Test
        void rewriteAddressListShouldFailOnAValueThatIsNotAnAddressList() {
            assertThatThrownBy(() -> siteMap().rewriteAddressList("J R User <jru@corp.example.test"))
                .isInstanceOf(AddressSyntaxException.class)
                .hasMessage("expected '>' closing the address opened at position 10 at the end");
        }

        @Test
        void emptyMapShouldReturnTheValueWithoutParsingIt() throws Exception {
            assertThat(RewriteMap.empty().rewriteAddressList("not <an address")).isEqualTo("not <an address");
        }
    }
}
