package org.msa4james.server.persistent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of an earlier release, with mail in its ActiveMQ journal, opened by this release: the mail moves
 * into the directory queues, whole and with its retry time, and the journal is kept aside.
 */
class KahaDbMigrationTest {
    @TempDir
    Path root;

    private static String message(String subject) {
        return "From: alice@example.test\r\nTo: carol@example.com\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n";
    }

    private static MailImpl mail(String name, String subject) throws Exception {
        return MailImpl.builder()
            .name(name)
            .sender("alice@example.test")
            .addRecipient(new MailAddress("carol@example.com"))
            .addAttribute(new Attribute(AttributeName.of("msa4james.dsn.envid"), AttributeValue.of("ENV-" + name)))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message(subject).getBytes(UTF_8))))
            .build();
    }

    private void writeEarlierJournal() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(root.toFile());
        try {
            ActiveMQMailQueueFactory factory = new ActiveMQMailQueueFactory(broker.connectionFactory(),
                new RawMailQueueItemDecoratorFactory(), new RecordingMetricFactory(), new NoopGaugeRegistry(),
                new ActiveMQMetricCollectorNoop());
            factory.setUseBlobMessages(false);
            factory.setUseJMX(false);
            factory.init();
            try {
                ManageableMailQueue spool = factory.createQueue(MailQueueName.of("spool"));
                enqueue(spool, mail("accepted-1", "accepted one"), Duration.ZERO);
                enqueue(spool, mail("accepted-2", "accepted two"), Duration.ZERO);
                enqueue(factory.createQueue(MailQueueName.of("outgoing")), mail("deferred", "deferred"), Duration.ofHours(1));
            } finally {
                factory.destroy();
            }
        } finally {
            broker.stop();
        }
    }

    private static void enqueue(ManageableMailQueue queue, MailImpl mail, Duration delay) throws Exception {
        try {
            queue.enQueue(mail, delay);
        } finally {
            mail.dispose();
        }
    }

    private static List<ManageableMailQueue.MailQueueItemView> browse(ManageableMailQueue queue) throws Exception {
        List<ManageableMailQueue.MailQueueItemView> views = new ArrayList<>();
        queue.browse().forEachRemaining(views::add);
        return views;
    }

    private static String bytes(ManageableMailQueue.MailQueueItemView view) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        view.getMail().getMessage().writeTo(out);
        return out.toString(UTF_8);
    }

    @Test
    void theMailOfAnEarlierJournalShouldMoveIntoTheQueueDirectoriesAndTheJournalBeKeptAside() throws Exception {
        writeEarlierJournal();
        Clock clock = Clock.systemUTC();
        Instant started = clock.instant();

        DirectoryMailQueueFactory factory = new DirectoryMailQueueFactory(root.toFile(), new RawMailQueueItemDecoratorFactory(),
            new RecordingMetricFactory(), new NoopGaugeRegistry(), clock);
        try {
            KahaDbMigration.migrateIfPresent(root.toFile(), factory, new RecordingMetricFactory(), clock);

            List<ManageableMailQueue.MailQueueItemView> spool = browse(factory.getQueue(MailQueueName.of("spool")).orElseThrow());
            assertThat(spool).extracting(view -> view.getMail().getName()).containsExactlyInAnyOrder("accepted-1", "accepted-2");
            for (ManageableMailQueue.MailQueueItemView view : spool) {
                String subject = view.getMail().getName().equals("accepted-1") ? "accepted one" : "accepted two";
                assertThat(bytes(view)).isEqualTo(message(subject));
                assertThat(view.getMail().getAttribute(AttributeName.of("msa4james.dsn.envid")))
                    .contains(new Attribute(AttributeName.of("msa4james.dsn.envid"), AttributeValue.of("ENV-" + view.getMail().getName())));
                assertThat(view.getNextDelivery().orElseThrow().toInstant()).isBefore(started.plusSeconds(60));
            }
            List<ManageableMailQueue.MailQueueItemView> outgoing = browse(factory.getQueue(MailQueueName.of("outgoing")).orElseThrow());
            assertThat(outgoing).extracting(view -> view.getMail().getName()).containsExactly("deferred");
            assertThat(outgoing.get(0).getNextDelivery().orElseThrow().toInstant())
                .as("still waiting for its retry, about an hour from now")
                .isAfter(started.plus(Duration.ofMinutes(55)));
        } finally {
            factory.close();
        }

        try (Stream<Path> entries = Files.list(root)) {
            List<String> names = entries.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
            assertThat(names).doesNotContain("kahadb", "tmp").contains("outgoing", "spool");
            assertThat(names).anyMatch(name -> name.matches("kahadb\\.migrated-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ"));
        }

        DirectoryMailQueueFactory reopened = new DirectoryMailQueueFactory(root.toFile(), new RawMailQueueItemDecoratorFactory(),
            new RecordingMetricFactory(), new NoopGaugeRegistry(), clock);
        try {
            KahaDbMigration.migrateIfPresent(root.toFile(), reopened, new RecordingMetricFactory(), clock);
            assertThat(reopened.getQueue(MailQueueName.of("spool")).orElseThrow().getSize()).as("moved once, not twice").isEqualTo(2);
        } finally {
            reopened.close();
        }
    }
}
