package org.msa4james.server.persistent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** The persistent server's mail queues on a real directory, reopened the way a restart reopens them. */
class DirectoryMailQueueTest {
    private static final MailQueueName OUTGOING = MailQueueName.of("outgoing");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final List<DirectoryMailQueueFactory> factories = new ArrayList<>();
    private final List<Disposable> consumers = new ArrayList<>();

    @AfterEach
    void close() {
        consumers.forEach(Disposable::dispose);
        factories.forEach(DirectoryMailQueueFactory::close);
    }

    private DirectoryMailQueueFactory open() throws Exception {
        DirectoryMailQueueFactory factory = new DirectoryMailQueueFactory(root.toFile(), new RawMailQueueItemDecoratorFactory(),
            new RecordingMetricFactory(), new NoopGaugeRegistry(), clock);
        factories.add(factory);
        return factory;
    }

    /** Everything the queue hands out, as it hands it out. */
    private BlockingQueue<MailQueueItem> consume(ManageableMailQueue queue) {
        BlockingQueue<MailQueueItem> items = new LinkedBlockingQueue<>();
        consumers.add(Flux.from(queue.deQueue()).subscribe(items::add));
        return items;
    }

    private static MailQueueItem next(BlockingQueue<MailQueueItem> items) throws InterruptedException {
        MailQueueItem item = items.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(item).as("a mail handed out within " + WAIT).isNotNull();
        return item;
    }

    private Path queueDirectory() {
        return root.resolve("outgoing");
    }

    private List<Path> queueFiles() throws Exception {
        try (Stream<Path> files = Files.list(queueDirectory())) {
            return files.filter(file -> file.toString().endsWith(QueueFile.SUFFIX)).sorted().collect(Collectors.toList());
        }
    }

    private static String message(String subject) {
        return "From: alice@example.test\r\nTo: carol@example.com\r\nSubject: " + subject + "\r\n"
            + "Message-ID: <" + subject.replace(' ', '.') + "@example.test>\r\n\r\nline one\r\n\r\nline  three \r\n";
    }

    private static MailImpl mail(String name, String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message(subject).getBytes(UTF_8)));
        MailImpl mail = MailImpl.builder()
            .name(name)
            .sender("alice@example.test")
            .addRecipients(new MailAddress("carol@example.com"), new MailAddress("dave@example.org"))
            .remoteHost("client.example.test")
            .remoteAddr("192.0.2.7")
            .state("transport")
            .errorMessage("4.4.1 first attempt failed")
            .addAttribute(new Attribute(AttributeName.of("msa4james.dsn.envid"), AttributeValue.of("QQ314159")))
            .addAttribute(new Attribute(AttributeName.of("msa4james.count"), AttributeValue.of(3)))
            .addAttribute(new Attribute(AttributeName.of("msa4james.received"), AttributeValue.of(1796464800123L)))
            .addAttribute(new Attribute(AttributeName.of("msa4james.submission"), AttributeValue.of(true)))
            .addAttribute(new Attribute(AttributeName.of("msa4james.list"), AttributeValue.of(List.of(AttributeValue.of("a"), AttributeValue.of("b")))))
            .mimeMessage(message)
            .build();
        mail.addSpecificHeaderForRecipient(PerRecipientHeaders.Header.builder().name("Delivered-To").value("dave@example.org").build(),
            new MailAddress("dave@example.org"));
        return mail;
    }

    /** Enqueues as James does: the caller disposes of its mail once the queue has it. */
    private static void enqueue(ManageableMailQueue queue, MailImpl mail) throws Exception {
        enqueue(queue, mail, Duration.ZERO);
    }

    private static void enqueue(ManageableMailQueue queue, MailImpl mail, Duration delay) throws Exception {
        try {
            queue.enQueue(mail, delay);
        } finally {
            mail.dispose();
        }
    }

    private static String bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(UTF_8);
    }

    @Test
    void aMailShouldComeOutWithItsWholeEnvelopeAndItsExactBytes() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("mail-1", "exact bytes"));

        MailQueueItem item = next(consume(queue));
        Mail out = item.getMail();
        assertThat(out.getName()).isEqualTo("mail-1");
        assertThat(out.getMaybeSender().asString()).isEqualTo("alice@example.test");
        assertThat(out.getRecipients()).containsExactly(new MailAddress("carol@example.com"), new MailAddress("dave@example.org"));
        assertThat(out.getRemoteHost()).isEqualTo("client.example.test");
        assertThat(out.getRemoteAddr()).isEqualTo("192.0.2.7");
        assertThat(out.getState()).isEqualTo("transport");
        assertThat(out.getErrorMessage()).isEqualTo("4.4.1 first attempt failed");
        assertThat(out.getAttribute(AttributeName.of("msa4james.dsn.envid"))).contains(new Attribute(AttributeName.of("msa4james.dsn.envid"), AttributeValue.of("QQ314159")));
        assertThat(out.getAttribute(AttributeName.of("msa4james.count"))).contains(new Attribute(AttributeName.of("msa4james.count"), AttributeValue.of(3)));
        assertThat(out.getAttribute(AttributeName.of("msa4james.received"))).contains(new Attribute(AttributeName.of("msa4james.received"), AttributeValue.of(1796464800123L)));
        assertThat(out.getAttribute(AttributeName.of("msa4james.submission"))).contains(new Attribute(AttributeName.of("msa4james.submission"), AttributeValue.of(true)));
        assertThat(out.getAttribute(AttributeName.of("msa4james.list")))
            .contains(new Attribute(AttributeName.of("msa4james.list"), AttributeValue.of(List.of(AttributeValue.of("a"), AttributeValue.of("b")))));
        assertThat(out.getPerRecipientSpecificHeaders().getHeadersForRecipient(new MailAddress("dave@example.org")))
            .extracting(PerRecipientHeaders.Header::asString).containsExactly("Delivered-To: dave@example.org");
        assertThat(bytes(out)).isEqualTo(message("exact bytes"));
        assertThat(out.getMessageSize()).isEqualTo(message("exact bytes").getBytes(UTF_8).length);
    }

    @Test
    void aMessageAsReceivedShouldBeQueuedOctetForOctetAndAChangedOneWithItsChanges() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        // a header field folded with a bare LF: writing the parsed header again would end that line with CRLF
        String received = "From: alice@example.test\r\nSubject: folded\n two\r\nX-Tail:  kept \r\n\r\nbody \r\n";
        MailImpl asReceived = MailImpl.builder().name("as-received").sender("alice@example.test")
            .addRecipient("carol@example.com").build();
        asReceived.setMessageContent(MimeMessageInputStreamSource.create("as-received",
            new ByteArrayInputStream(received.getBytes(UTF_8))));
        MailImpl changed = MailImpl.builder().name("changed").sender("alice@example.test")
            .addRecipient("carol@example.com").build();
        changed.setMessageContent(MimeMessageInputStreamSource.create("changed", new ByteArrayInputStream(received.getBytes(UTF_8))));
        changed.getMessage().setHeader("X-Added", "yes");
        ByteArrayOutputStream expectedChange = new ByteArrayOutputStream();
        changed.getMessage().writeTo(expectedChange);
        enqueue(queue, asReceived);
        enqueue(queue, changed);

        BlockingQueue<MailQueueItem> items = consume(queue);
        Mail first = next(items).getMail();
        Mail second = next(items).getMail();

        assertThat(first.getName()).isEqualTo("as-received");
        assertThat(new String(((MimeMessageWrapper) first.getMessage()).getMessageInputStream().readAllBytes(), UTF_8))
            .isEqualTo(received);
        assertThat(second.getName()).isEqualTo("changed");
        assertThat(new String(((MimeMessageWrapper) second.getMessage()).getMessageInputStream().readAllBytes(), UTF_8))
            .isEqualTo(expectedChange.toString(UTF_8))
            .contains("X-Added: yes\r\n");
    }

    /** A delivery report: from the null sender, with nothing but a name, recipients and a message. */
    @Test
    void aMailFromTheNullSenderWithoutOptionalFieldsShouldComeOutAsItWent() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        MailImpl report = MailImpl.builder()
            .name("report")
            .addRecipient(new MailAddress("alice@example.test"))
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message("report").getBytes(UTF_8))))
            .build();
        report.setSender(null);
        report.setState(null);
        enqueue(queue, report);

        Mail out = next(consume(queue)).getMail();
        assertThat(out.getName()).isEqualTo("report");
        assertThat(out.getMaybeSender().isNullSender()).isTrue();
        assertThat(out.getRecipients()).containsExactly(new MailAddress("alice@example.test"));
        assertThat(out.getState()).isNull();
        assertThat(out.getErrorMessage()).isNull();
        assertThat(out.attributeNames()).isEmpty();
        assertThat(bytes(out)).isEqualTo(message("report"));
    }

    @Test
    void aMailShouldBeOnDiskWhenEnQueueReturnsAndGoneOnceDone() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("mail-1", "on disk"));
        assertThat(queueFiles()).hasSize(1);
        assertThat(Files.readString(queueFiles().get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).contains(message("on disk"));

        MailQueueItem item = next(consume(queue));
        assertThat(queueFiles()).as("still on disk while it is processed").hasSize(1);
        assertThat(queue.getSize()).isEqualTo(1);
        item.done(CompletionStatus.SUCCESS);
        assertThat(queueFiles()).isEmpty();
        assertThat(queue.getSize()).isZero();
    }

    @Test
    void aRestartShouldGiveBackEveryMailNotDoneInTheOrderItCame() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        for (int number = 1; number <= 3; number++) {
            enqueue(queue, mail("mail-" + number, "restart " + number));
        }
        BlockingQueue<MailQueueItem> items = consume(queue);
        next(items).done(CompletionStatus.SUCCESS);
        MailQueueItem inProcessing = next(items);
        assertThat(inProcessing.getMail().getName()).isEqualTo("mail-2");
        close();

        DirectoryMailQueueFactory reopened = open();
        assertThat(reopened.listCreatedMailQueues()).containsExactly(OUTGOING);
        ManageableMailQueue again = reopened.getQueue(OUTGOING).orElseThrow();
        assertThat(again.getSize()).isEqualTo(2);
        BlockingQueue<MailQueueItem> afterRestart = consume(again);
        MailQueueItem second = next(afterRestart);
        MailQueueItem third = next(afterRestart);
        assertThat(List.of(second.getMail().getName(), third.getMail().getName())).containsExactly("mail-2", "mail-3");
        assertThat(bytes(second.getMail())).isEqualTo(message("restart 2"));
    }

    @Test
    void aDelayedMailShouldWaitForItsTimeAcrossARestartUnlessFlushed() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("later", "delayed"), Duration.ofMinutes(10));
        BlockingQueue<MailQueueItem> items = consume(queue);
        assertThat(items.poll(1_500, TimeUnit.MILLISECONDS)).as("not due yet").isNull();
        List<ManageableMailQueue.MailQueueItemView> views = new ArrayList<>();
        queue.browse().forEachRemaining(views::add);
        assertThat(views).extracting(view -> view.getNextDelivery().orElseThrow().toInstant())
            .containsExactly(Instant.parse("2026-12-05T10:10:00Z"));
        close();

        clock.advance(Duration.ofMinutes(5));
        ManageableMailQueue reopened = open().getQueue(OUTGOING).orElseThrow();
        BlockingQueue<MailQueueItem> afterRestart = consume(reopened);
        assertThat(afterRestart.poll(1_500, TimeUnit.MILLISECONDS)).as("still 5 minutes to wait").isNull();

        assertThat(reopened.flush()).isEqualTo(1);
        assertThat(next(afterRestart).getMail().getName()).isEqualTo("later");
    }

    @Test
    void aMailNotProcessedShouldStayAndComeBackAfterItsRetryDelay() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("fails", "retry"));
        BlockingQueue<MailQueueItem> items = consume(queue);

        next(items).done(CompletionStatus.RETRY);
        assertThat(queueFiles()).hasSize(1);
        assertThat(items.poll(1_500, TimeUnit.MILLISECONDS)).as("retried after a delay, not at once").isNull();
        clock.advance(Duration.ofSeconds(1));
        MailQueueItem retried = next(items);
        assertThat(bytes(retried.getMail())).isEqualTo(message("retry"));

        retried.done(CompletionStatus.REJECT);
        assertThat(queueFiles()).as("a rejected mail is not dropped").hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        next(items).done(CompletionStatus.SUCCESS);
        assertThat(queueFiles()).isEmpty();
    }

    /** Webadmin's reprocessing closes the spool queue when it has put the mail back, while the spooler reads it. */
    @Test
    void aQueueClosedByOneOfItsUsersShouldGoOnHandingOutMail() throws Exception {
        DirectoryMailQueueFactory factory = open();
        ManageableMailQueue queue = factory.createQueue(OUTGOING);
        BlockingQueue<MailQueueItem> items = consume(queue);
        ManageableMailQueue sameQueue = factory.getQueue(OUTGOING).orElseThrow();
        enqueue(sameQueue, mail("reprocessed", "reprocessed"));
        sameQueue.close();

        assertThat(next(items).getMail().getName()).isEqualTo("reprocessed");
        enqueue(queue, mail("after", "after"));
        assertThat(next(items).getMail().getName()).isEqualTo("after");
    }

    @Test
    void aFileCutShortByACrashShouldBeSetAsideAndTheOthersProcessed() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("whole", "whole"));
        enqueue(queue, mail("cut", "cut short"));
        close();
        Path cut = queueFiles().get(1);
        byte[] content = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(content, content.length - 20));

        ManageableMailQueue reopened = open().getQueue(OUTGOING).orElseThrow();
        assertThat(reopened.getSize()).isEqualTo(1);
        assertThat(next(consume(reopened)).getMail().getName()).isEqualTo("whole");
        assertThat(queueDirectory().resolve(DirectoryMailQueue.UNREADABLE_DIRECTORY).resolve(cut.getFileName())).exists();
    }

    @Test
    void aQueueThatCannotWriteShouldRefuseTheMailNamingItsDirectoryAndLeaveNothing() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        Files.delete(queueDirectory());

        assertThatThrownBy(() -> queue.enQueue(mail("refused", "refused")))
            .isInstanceOf(MailQueueException.class)
            .hasMessageStartingWith("Unable to enqueue mail refused in " + queueDirectory() + ": java.nio.file.NoSuchFileException");
        assertThat(queue.getSize()).isZero();
    }

    @Test
    void administratorsShouldBrowseRemoveAndClear() throws Exception {
        ManageableMailQueue queue = open().createQueue(OUTGOING);
        enqueue(queue, mail("one", "one"));
        MailImpl other = mail("two", "two");
        other.setSender(new MailAddress("bob@example.test"));
        enqueue(queue, other);
        MailImpl third = mail("three", "three");
        third.setRecipients(List.of(new MailAddress("erin@example.net")));
        enqueue(queue, third);

        List<String> browsed = new ArrayList<>();
        ManageableMailQueue.MailQueueIterator iterator = queue.browse();
        iterator.forEachRemaining(view -> browsed.add(view.getMail().getName()));
        iterator.close();
        assertThat(browsed).containsExactly("one", "two", "three");

        assertThat(queue.remove(ManageableMailQueue.Type.Sender, "bob@example.test")).isEqualTo(1);
        assertThat(queue.remove(ManageableMailQueue.Type.Recipient, "erin@example.net")).isEqualTo(1);
        assertThat(queue.remove(ManageableMailQueue.Type.Name, "nothing")).isZero();
        assertThat(queue.getSize()).isEqualTo(1);
        assertThat(queueFiles()).hasSize(1);
        assertThat(queue.clear()).isEqualTo(1);
        assertThat(queueFiles()).isEmpty();
    }

    @Test
    void queueNamesThatAreNotPlainFileNamesShouldRoundTrip() {
        for (String name : List.of("outgoing", "relay.slow-1", "with space", "../up", "kahadb", "tmp", "q_41", "écrit")) {
            String directory = DirectoryMailQueueFactory.directoryName(MailQueueName.of(name));
            assertThat(directory).as(name).matches("[A-Za-z0-9][A-Za-z0-9._-]*").isNotIn("kahadb", "tmp");
            assertThat(DirectoryMailQueueFactory.queueName(directory)).as(name).contains(MailQueueName.of(name));
        }
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private final AtomicLong millis;

        MovableClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }
}
