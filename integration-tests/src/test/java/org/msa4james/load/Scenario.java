package org.msa4james.load;

import java.time.Duration;
import java.util.List;

/** One load of the side-by-side benchmark: what each round sends to the STARTTLS submission port. */
final class Scenario {
    static final int KIB = 1024;
    static final Duration TIME_LIMIT = Duration.ofMinutes(5);

    /** The three loads the benchmark compares, in the order it runs them. */
    static final List<Scenario> STANDARD = List.of(
        new Scenario("4 connections x 250 messages of 1 KiB, reused", "1KiB-reused", 4, 1_000, KIB, false),
        new Scenario("one connection per message, 200 messages of 1 KiB (4 at a time)", "1KiB-per-message", 4, 200, KIB, true),
        new Scenario("4 connections x 50 messages of 100 KiB, reused", "100KiB-reused", 4, 200, 100 * KIB, false));

    final String title;
    final String key;
    final int connections;
    final int messages;
    final int size;
    final boolean connectionPerMessage;

    Scenario(String title, String key, int connections, int messages, int size, boolean connectionPerMessage) {
        this.title = title;
        this.key = key;
        this.connections = connections;
        this.messages = messages;
        this.size = size;
        this.connectionPerMessage = connectionPerMessage;
    }

    /** The load on the given James: AUTH PLAIN as its user, from and to the same addresses in every variant. */
    LoadSpec spec(JamesProcess james, TlsMode tls) {
        return spec(james, tls == TlsMode.IMPLICIT ? james.submissionsPort() : james.submissionPort(), tls);
    }

    /**
     * The load on the STARTTLS submission port of any participant, James or Postfix: the same user, messages, sender and
     * recipient for all.
     */
    LoadSpec spec(Participant server) {
        return spec(server, server.submissionPort(), TlsMode.STARTTLS);
    }

    private LoadSpec spec(Participant server, int port, TlsMode tls) {
        return LoadSpec.builder()
            .host(server.host())
            .port(port)
            .tls(tls)
            .credentials(server.user(), server.password())
            .sender(server.user())
            .recipient(SideBySideMain.REMOTE_RECIPIENT)
            .connections(connections)
            .totalMessages(messages)
            .messageSize(size)
            .connectionPerMessage(connectionPerMessage)
            .timeLimit(TIME_LIMIT)
            .build();
    }
}
