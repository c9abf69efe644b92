package org.msa4james.concealment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceivedTraceTest {
    private static final String CLIENT = "msa-client-qdhxptusxsj2pmff6k7q3ffd5i";

    /**
     * The value of the Received field James 3.8.1 wrote for a submission over port 587 (captured from a real James
     * through the integration-test harness, client address changed to a documentation address): one recipient.
     */
    static final String JAMES_ONE_RECIPIENT = "from mua-7.dyn.example.net (EHLO mua.example.test) ([192.0.2.7])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
        + "          for <carol@example.com>;\r\n"
        + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";

    /** Several recipients: James writes no "for" and puts the ";" on the "by" line. */
    private static final String JAMES_TWO_RECIPIENTS = "from localhost (EHLO mua.example.test) ([127.0.0.1])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 0a1b2c3d;\r\n"
        + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";

    @Test
    void hideClientShouldReplaceTheFromClauseAndKeepEverythingElse() throws Exception {
        assertThat(ReceivedTrace.hideClient(JAMES_ONE_RECIPIENT, CLIENT, Optional.empty()))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n"
                + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
                + "          for <carol@example.com>;\r\n"
                + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)");
    }

    @Test
    void hideClientShouldHandleTheFieldOfAMessageWithSeveralRecipients() throws Exception {
        assertThat(ReceivedTrace.hideClient(JAMES_TWO_RECIPIENTS, CLIENT, Optional.empty()))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n"
                + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 0a1b2c3d;\r\n"
                + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)");
    }

    @Test
    void hideClientShouldWriteThePublicHostNameAfterBy() throws Exception {
        assertThat(ReceivedTrace.hideClient(JAMES_ONE_RECIPIENT, CLIENT, Optional.of("smtp.example.test")))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n"
                + "          by smtp.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
                + "          for <carol@example.com>;\r\n"
                + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)");
    }

    @Test
    void hideClientShouldReplaceAByHostFollowedByASemicolon() throws Exception {
        assertThat(ReceivedTrace.hideClient("from x ([192.0.2.7])\r\n by internal-7;\r\n Sat, 28 Nov 2026 19:02:46 +0000", CLIENT,
            Optional.of("smtp.example.test")))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n by smtp.example.test;\r\n Sat, 28 Nov 2026 19:02:46 +0000");
    }

    @Test
    void hideClientShouldGiveTheSameTextWhenAppliedTwice() throws Exception {
        String once = ReceivedTrace.hideClient(JAMES_ONE_RECIPIENT, CLIENT, Optional.of("smtp.example.test"));

        assertThat(ReceivedTrace.hideClient(once, CLIENT, Optional.of("smtp.example.test"))).isEqualTo(once);
    }

    /** The EHLO name is the client's text, written by James inside a comment: it must not fool the parser. */
    @ParameterizedTest(name = "[{index}] EHLO {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\0', value = {
        "x) by evil.example (y",
        "by",
        "x (by y) z",
        "\\) by evil.example",
        "((((",
    })
    void hideClientShouldRemoveAnyEhloNameTheClientSent(String ehloName) throws Exception {
        String value = "from localhost (EHLO " + ehloName + ") ([192.0.2.7])\r\n"
            + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d;\r\n"
            + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";

        assertThat(ReceivedTrace.hideClient(value, CLIENT, Optional.empty()))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n"
                + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d;\r\n"
                + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)");
    }

    @Test
    void hideClientShouldFindByOutsideCommentsInAnUnfoldedValue() throws Exception {
        String unfolded = "from localhost (EHLO x by y) ([192.0.2.7]) by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d; "
            + "Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";

        assertThat(ReceivedTrace.hideClient(unfolded, CLIENT, Optional.empty()))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d; "
                + "Sat, 28 Nov 2026 19:02:46 +0000 (UTC)");
    }

    @Test
    void hideClientShouldAcceptKeywordsInAnyCase() throws Exception {
        assertThat(ReceivedTrace.hideClient("FROM host ([192.0.2.7])\r\n\tBY msa.example.test; Sat, 28 Nov 2026 19:02:46 +0000", CLIENT,
            Optional.of("smtp.example.test")))
            .isEqualTo("from msa-client-qdhxptusxsj2pmff6k7q3ffd5i\r\n\tBY smtp.example.test; Sat, 28 Nov 2026 19:02:46 +0000");
    }

    @Test
    void hideClientShouldRefuseAFieldWithoutFromClause() {
        assertThatThrownBy(() -> ReceivedTrace.hideClient("by msa.example.test; Sat, 28 Nov 2026 19:02:46 +0000", CLIENT, Optional.empty()))
            .isInstanceOf(ReceivedFormatException.class)
            .hasMessage("the Received field does not start with a 'from' clause: 'by msa.example.test; Sat, 28 Nov 2026 19:02:46 +0000'");
    }

    @Test
    void hideClientShouldRefuseAFieldWithoutByClause() {
        assertThatThrownBy(() -> ReceivedTrace.hideClient("from localhost ([192.0.2.7]); Sat, 28 Nov 2026 19:02:46 +0000", CLIENT, Optional.empty()))
            .isInstanceOf(ReceivedFormatException.class)
            .hasMessage("the Received field has no 'by' clause after its 'from' clause: 'from localhost ([192.0.2.7]); Sat, 28 Nov 2026 19:02:46 +0000'");
    }
}
