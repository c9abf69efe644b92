package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.recipientDomainNotQualified;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB_AT_SALES;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rule 4 with a local convention for single-label domains (RFC 6409 4.2):
 * msa.domain.expansions=sales=sales.example.test.
 */
class DomainExpansionTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.domain.expansions", "sales=sales.example.test"));

    @Test
    void rcptToAnExpandableSingleLabelDomainShouldBeAcceptedAndDeliveredToTheExpandedAddress() throws Exception {
        String subject = TestMessages.uniqueSubject("expanded recipient");
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo("bob@sales").line()).isEqualTo(recipientOk("bob@sales.example.test"));
            assertThat(smtp.data(TestMessages.message(ALICE, "bob@sales", subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imap(BOB_AT_SALES)) {
            assertThat(imap.awaitMessage(subject).rawBody())
                .isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void incompleteMultiLabelDomainShouldStillBeRefusedNotExpanded() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

            assertThat(smtp.rcptTo("bob@squeaky.sales").line()).isEqualTo(recipientDomainNotQualified("squeaky.sales"));
        }
    }

    @Test
    void singleLabelDomainWithoutAnExpansionShouldStillBeRefused() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSIONS).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

            assertThat(smtp.rcptTo("bob@eng").line()).isEqualTo(recipientDomainNotQualified("eng"));
        }
    }
}
