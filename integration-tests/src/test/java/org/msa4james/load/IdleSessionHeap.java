package org.msa4james.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.msa4james.it.SmtpReply;
import org.msa4james.it.SmtpTestClient;

/**
 * Heap retained by James per idle authenticated session on the STARTTLS submission port: the live heap (the "Total"
 * line of {@code jcmd <pid> GC.class_histogram}, which runs a full GC first) before and after opening N sessions
 * (EHLO, STARTTLS, EHLO, AUTH PLAIN, then idle), divided by N. The sessions come from several loopback addresses
 * (127.0.0.2, 127.0.0.3, ...) so that the listener's per-address connection limit is not reached.
 */
public final class IdleSessionHeap {
    /** The shipped connectionLimitPerIP of the submission listeners is 20: stay well under it. */
    static final int SESSIONS_PER_ADDRESS = 10;
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private final int sessions;

    public IdleSessionHeap(int sessions) {
        if (sessions < 1 || sessions > 480) {
            throw new IllegalArgumentException("sessions must be 1 to 480 (the listener's connectionLimit is 500), not " + sessions);
        }
        this.sessions = sessions;
    }

    /** One measurement: bytes of live heap per idle authenticated session. The sessions are closed before it returns. */
    public long bytesPerSession(JamesProcess james) throws IOException {
        long before = liveHeapBytes(james.pid());
        List<SmtpTestClient> clients = new ArrayList<>(sessions);
        try {
            openSessions(james, clients);
            sleep(SETTLE);
            long after = liveHeapBytes(james.pid());
            return (after - before) / sessions;
        } finally {
            closeAll(clients);
        }
    }

    /** Opens and closes the sessions once without measuring (class loading, TLS and thread pools warmed up). */
    public void warmUp(JamesProcess james) throws IOException {
        List<SmtpTestClient> clients = new ArrayList<>(sessions);
        try {
            openSessions(james, clients);
        } finally {
            closeAll(clients);
        }
    }

    /** Warm-up, then {@code repeats} measurements; returns them in measurement order. */
    public List<Long> measure(JamesProcess james, int repeats) throws IOException {
        warmUp(james);
        List<Long> results = new ArrayList<>(repeats);
        for (int i = 0; i < repeats; i++) {
            results.add(bytesPerSession(james));
        }
        return results;
    }

    public int sessions() {
        return sessions;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void openSessions(JamesProcess james, List<SmtpTestClient> clients) throws IOException {
        for (int i = 0; i < sessions; i++) {
            String localAddress = "127.0.0." + (2 + i / SESSIONS_PER_ADDRESS);
            SmtpTestClient client = SmtpTestClient.connectFrom(localAddress, james.host(), james.submissionPort());
            clients.add(client);
            requireCode(client.greeting(), 220, "greeting", i);
            client.ehloUnderTls();
            requireCode(client.authPlain(james.user(), james.password()), 235, "AUTH PLAIN", i);
        }
    }

    private static void requireCode(SmtpReply reply, int code, String step, int session) throws IOException {
        if (reply.code() != code) {
            throw new IOException("session " + session + ": " + step + " answered " + reply.lines() + ", expected " + code);
        }
    }

    private static void closeAll(List<SmtpTestClient> clients) {
        for (SmtpTestClient client : clients) {
            try {
                client.command("QUIT");
            } catch (IOException e) {
                // the session may already be gone; closing is all that matters here
            }
            try {
                client.close();
            } catch (IOException e) {
                System.err.println("could not close an idle session: " + e);
            }
        }
        clients.clear();
    }

    /** The live heap of the process: jcmd GC.class_histogram runs a full GC and prints a "Total" line (bytes). */
    static long liveHeapBytes(long pid) throws IOException {
        Path jcmd = JamesProcess.javaExecutable("jcmd");
        Path out = Files.createTempFile("msa4james-histogram-", ".txt");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
            try {
                if (!process.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IOException(jcmd + " " + pid + " GC.class_histogram did not finish within " + JCMD_TIMEOUT);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for jcmd", e);
            }
            String histogram = Files.readString(out, UTF_8);
            Matcher total = TOTAL.matcher(histogram);
            if (process.exitValue() != 0 || !total.find()) {
                throw new IOException(jcmd + " " + pid + " GC.class_histogram exited " + process.exitValue() + " without a Total line: "
                    + histogram.substring(0, Math.min(500, histogram.length())));
            }
            return Long.parseLong(total.group(2));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
