package org.msa4james.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class DsnAttributesTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T18:55:39.123Z");

    @Test
    void valuesShouldBeReadAsWritten() throws Exception {
        MailImpl mail = mail();

        assertThat(DsnAttributes.instant(mail, DsnAttributes.ARRIVAL_DATE)).contains(ARRIVAL);
        assertThat(DsnAttributes.perRecipient(mail, DsnAttributes.STATUS))
            .containsExactlyInAnyOrderEntriesOf(Map.of("carol@example.com", "5.1.1", "dave@example.com", "4.2.2"));
        assertThat(DsnAttributes.flag(mail, DsnAttributes.DELAY_REPORTED)).isTrue();
        assertThat(DsnAttributes.flag(mail, DsnAttributes.WILL_RETRY_UNTIL)).isFalse();
    }

    @Test
    void absentOrMalformedValuesShouldReadAsEmpty() throws Exception {
        MailImpl mail = MailImpl.builder().name("m").addRecipient("carol@example.com").build();
        mail.setAttribute(new Attribute(DsnAttributes.LAST_ATTEMPT_DATE, AttributeValue.of("yesterday")));

        assertThat(DsnAttributes.instant(mail, DsnAttributes.LAST_ATTEMPT_DATE)).isEmpty();
        assertThat(DsnAttributes.instant(mail, DsnAttributes.ARRIVAL_DATE)).isEmpty();
        assertThat(DsnAttributes.perRecipient(mail, DsnAttributes.STATUS)).isEmpty();
    }

    @Test
    void anEmptyMapShouldRemoveTheAttribute() throws Exception {
        MailImpl mail = mail();

        DsnAttributes.setPerRecipient(mail, DsnAttributes.STATUS, Map.of());

        assertThat(mail.getAttribute(DsnAttributes.STATUS)).isEmpty();
    }

    /**
     * A JMS mail queue stores each attribute as its JSON and reads it back with {@code AttributeValue#fromJson}; an
     * attribute without JSON form is dropped. Every attribute msa4james writes for DSN, and James's DSN parameters,
     * come back equal.
     */
    @Test
    void everyAttributeShouldSurviveTheJsonFormOfAMailQueue() throws Exception {
        MailImpl mail = mail();
        mail.setDsnParameters(DsnParameters.builder()
            .ret(DsnParameters.Ret.HDRS)
            .envId(DsnParameters.EnvId.of("QQ+2B314159"))
            .addRcptParameter(new MailAddress("carol@example.com"),
                RecipientDsnParameters.of(EnumSet.of(Notify.SUCCESS, Notify.DELAY), new MailAddress("carol@example.com")))
            .build().orElseThrow());
        List<Attribute> attributes = mail.attributes().collect(ImmutableList.toImmutableList());

        MailImpl restored = MailImpl.builder().name("m").addRecipient("carol@example.com").build();
        for (Attribute attribute : attributes) {
            String json = attribute.getValue().toJson().orElseThrow(() -> new AssertionError(attribute.getName() + " has no JSON form")).toString();
            restored.setAttribute(new Attribute(attribute.getName(), AttributeValue.fromJsonString(json)));
        }

        assertThat(restored.attributes()).containsExactlyInAnyOrderElementsOf(attributes);
        assertThat(restored.dsnParameters()).isEqualTo(mail.dsnParameters());
        assertThat(DsnAttributes.perRecipient(restored, DsnAttributes.DIAGNOSTIC_CODE))
            .containsEntry("carol@example.com", "550 5.1.1 <carol@example.com>: no such user");
    }

    private static MailImpl mail() throws Exception {
        MailImpl mail = MailImpl.builder().name("m").sender("alice@example.test")
            .addRecipients(new MailAddress("carol@example.com"), new MailAddress("dave@example.com")).build();
        DsnAttributes.setInstant(mail, DsnAttributes.ARRIVAL_DATE, ARRIVAL);
        DsnAttributes.setInstant(mail, DsnAttributes.LAST_ATTEMPT_DATE, ARRIVAL.plusSeconds(60));
        DsnAttributes.setInstant(mail, DsnAttributes.WILL_RETRY_UNTIL, ARRIVAL.plusSeconds(86_400));
        DsnAttributes.setPerRecipient(mail, DsnAttributes.STATUS, Map.of("carol@example.com", "5.1.1", "dave@example.com", "4.2.2"));
        DsnAttributes.setPerRecipient(mail, DsnAttributes.DIAGNOSTIC_CODE,
            Map.of("carol@example.com", "550 5.1.1 <carol@example.com>: no such user"));
        DsnAttributes.setPerRecipient(mail, DsnAttributes.REMOTE_MTA, Map.of("carol@example.com", "mx.example.com"));
        DsnAttributes.setFlag(mail, DsnAttributes.DELAY_REPORTED);
        return mail;
    }
}
