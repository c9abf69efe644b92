package org.msa4james.mailet;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.address.AddressSyntaxException;
import org.msa4james.concealment.HostNames;
import org.msa4james.concealment.ReceivedFormatException;
import org.msa4james.concealment.ReceivedTrace;
import org.msa4james.concealment.RemovedFields;
import org.msa4james.concealment.RewriteMap;
import org.msa4james.concealment.RewriteMapException;
import org.msa4james.concealment.RewriteMapFile;
import org.msa4james.concealment.TraceToken;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * RFC 6409 section 8.8, site policy: hides what a submission reveals about the site and the client, all by
 * configuration. Mail that is not a submission is left untouched; only the header is read and written.
 * <ol>
 * <li>Removes the configured header fields that leak client details (default {@code X-Originating-IP}), every
 * occurrence.</li>
 * <li>Trace hiding: in the Received field James added for the submission (the topmost one) the {@code from} clause
 * — client reverse name, EHLO name and IP address — becomes {@code from msa-client-<token>}, where the token is a
 * keyed HMAC of client address and SMTP session id ({@link TraceToken}); {@code by}, {@code with}, {@code ID},
 * {@code for} and the date are kept. Older Received fields are left as they are.</li>
 * <li>Rewrite map ({@link RewriteMap}, a file reloaded when it changes): the envelope sender and the addresses in
 * From, Sender and Reply-To, keeping display names, comments, groups and encoded words. Never the recipients.</li>
 * </ol>
 * <p>Every other header line stays where it was, byte for byte. A message this mailet cannot conceal (an address
 * field that is not an address list while the map has rules, a topmost Received field without {@code from} and
 * {@code by} clauses, no session id) is not passed on half-concealed: a MessagingException sends it to the error
 * processor.</p>
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>rewriteMap</td><td>none: no rewriting</td><td>the map file: {@code file://conf/address-rewrite.map}
 * (James's working directory), an absolute path, or a path relative to the working directory</td></tr>
 * <tr><td>reloadInterval</td><td>10</td><td>seconds between two looks at the map file's modification time and
 * size</td></tr>
 * <tr><td>hideClientInTrace</td><td>true</td><td>hide the client in the Received field</td></tr>
 * <tr><td>traceKey</td><td>required when hideClientInTrace is true</td><td>HMAC key of the trace token, at least
 * 32 characters</td></tr>
 * <tr><td>publicHostName</td><td>James's name</td><td>host name written after {@code by} in the Received
 * field</td></tr>
 * <tr><td>removeHeaders</td><td>X-Originating-IP</td><td>header fields removed, comma separated (the list
 * replaces the default), or {@code none}</td></tr>
 * </table>
 *
 * <pre>{@code <mailet match="All" class="org.msa4james.mailet.ConcealLocalAddresses">
 *     <rewriteMap>file://conf/address-rewrite.map</rewriteMap>
 *     <traceKey>${sys:msa.trace.key}</traceKey>
 *     <removeHeaders>X-Originating-IP, User-Agent, X-Mailer</removeHeaders>
 * </mailet>}</pre>
 */
public class ConcealLocalAddresses extends GenericMailet {
    static final String REWRITE_MAP = "rewriteMap";
    static final String RELOAD_INTERVAL = "reloadInterval";
    static final String HIDE_CLIENT_IN_TRACE = "hideClientInTrace";
    static final String TRACE_KEY = "traceKey";
    static final String PUBLIC_HOST_NAME = "publicHostName";
    static final String REMOVE_HEADERS = "removeHeaders";
    static final int DEFAULT_RELOAD_SECONDS = 10;

    private static final Logger LOGGER = LoggerFactory.getLogger(ConcealLocalAddresses.class);
    private static final String RECEIVED = "Received";
    private static final Set<String> ADDRESS_FIELDS = ImmutableSet.of("from", "sender", "reply-to");

    private final FileSystem fileSystem;
    private final Clock clock;
    private Optional<RewriteMapFile> rewriteMap = Optional.empty();
    private Optional<TraceToken> traceToken = Optional.empty();
    private Optional<String> publicHostName = Optional.empty();
    private RemovedFields removedFields = RemovedFields.of(ImmutableList.of());

    @Inject
    public ConcealLocalAddresses(FileSystem fileSystem) {
        this(fileSystem, Clock.systemUTC());
    }

    /** @param clock decides when the rewrite map file is looked at again */
    ConcealLocalAddresses(FileSystem fileSystem, Clock clock) {
        this.fileSystem = fileSystem;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), ConcealLocalAddresses.class,
            REWRITE_MAP, RELOAD_INTERVAL, HIDE_CLIENT_IN_TRACE, TRACE_KEY, PUBLIC_HOST_NAME, REMOVE_HEADERS);

        List<String> removedNames = parameters.list(REMOVE_HEADERS);
        removedFields = parameters.parsed(REMOVE_HEADERS, ignored -> RemovedFields.of(removedNames));

        boolean hideClient = parameters.booleanValue(HIDE_CLIENT_IN_TRACE, true);
        Optional<String> key = parameters.optionalString(TRACE_KEY);
        if (key.isPresent()) {
            Optional<String> problem = TraceToken.keyProblem(key.get());
            if (problem.isPresent()) {
                throw parameters.invalid(TRACE_KEY, problem.get());
            }
        }
        publicHostName = parameters.optionalString(PUBLIC_HOST_NAME);
        if (hideClient) {
            if (key.isEmpty()) {
                throw parameters.invalid(TRACE_KEY, "is required when " + HIDE_CLIENT_IN_TRACE + " is true (at least "
                    + TraceToken.MIN_KEY_LENGTH + " characters)");
            }
            traceToken = Optional.of(TraceToken.withKey(key.get()));
            if (publicHostName.isPresent() && !HostNames.isFullyQualified(publicHostName.get())) {
                throw parameters.invalid(PUBLIC_HOST_NAME, "must be a fully qualified host name, not '" + publicHostName.get() + "'");
            }
        } else {
            traceToken = Optional.empty();
            if (publicHostName.isPresent()) {
                throw parameters.invalid(PUBLIC_HOST_NAME, "only applies when " + HIDE_CLIENT_IN_TRACE + " is true");
            }
        }

        Optional<String> mapLocation = parameters.optionalString(REWRITE_MAP);
        int reloadSeconds = parameters.positiveInt(RELOAD_INTERVAL, DEFAULT_RELOAD_SECONDS);
        if (mapLocation.isEmpty()) {
            if (parameters.optionalString(RELOAD_INTERVAL).isPresent()) {
                throw parameters.invalid(RELOAD_INTERVAL, "only applies with a " + REWRITE_MAP);
            }
            rewriteMap = Optional.empty();
        } else {
            Path file = resolve(parameters, mapLocation.get());
            try {
                RewriteMapFile loaded = RewriteMapFile.load(file, Duration.ofSeconds(reloadSeconds), clock, new LoggingListener());
                rewriteMap = Optional.of(loaded);
                LOGGER.info("Address rewrite map {}: {} rules, looked at every {} s", loaded.file(),
                    loaded.current().size(), reloadSeconds);
            } catch (RewriteMapException e) {
                throw parameters.invalid(REWRITE_MAP, "is invalid: " + e.getMessage());
            }
        }
    }

    /**
     * James's locations ({@code file://conf/...}, {@code file:///abs/...}, {@code classpath:...}) through its
     * FileSystem; an absolute path as it is; any other path relative to James's working directory.
     */
    private Path resolve(MailetParameters parameters, String location) throws MessagingException {
        if (!location.startsWith("file:") && !location.startsWith("classpath:") && Paths.get(location).isAbsolute()) {
            return Paths.get(location);
        }
        String url = location.startsWith("file:") || location.startsWith("classpath:") ? location : FileSystem.FILE_PROTOCOL + location;
        try {
            return fileSystem.getFile(url).toPath();
        } catch (FileNotFoundException e) {
            throw parameters.invalid(REWRITE_MAP, "names no file: " + e.getMessage());
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty()) {
            return;
        }
        RewriteMap map = rewriteMap.map(RewriteMapFile::current).orElse(RewriteMap.empty());
        MimeMessage message = mail.getMessage();
        List<String> lines = Collections.list(message.getAllHeaderLines());
        List<String> edited = new ArrayList<>(lines.size());
        Set<String> removedNames = new LinkedHashSet<>();
        boolean changed = false;
        boolean topmostReceived = true;
        for (String line : lines) {
            HeaderLine field = HeaderLine.of(line);
            if (removedFields.contains(field.name)) {
                removedNames.add(field.name);
                continue;
            }
            String newLine = line;
            if (field.name.equalsIgnoreCase(RECEIVED) && topmostReceived) {
                topmostReceived = false;
                if (traceToken.isPresent()) {
                    newLine = field.withValue(hideClient(mail, field.value, submission.get(), traceToken.get()));
                }
            } else if (!map.isEmpty() && ADDRESS_FIELDS.contains(field.name.toLowerCase(Locale.ROOT))) {
                newLine = field.withValue(rewriteAddresses(mail, field, map));
            }
            changed |= !newLine.equals(line);
            edited.add(newLine);
        }
        if (!map.isEmpty()) {
            rewriteEnvelopeSender(mail, map);
        }
        if (changed) {
            replaceHeaderLines(message, lines, edited);
        } else {
            for (String name : removedNames) {
                message.removeHeader(name);
            }
        }
    }

    /**
     * Replaces the header with the edited lines, in order. JavaMail's setHeader cannot replace a field in place in
     * James: James's MailHeaders starts from JavaMail's list of empty placeholders of the usual fields (Received,
     * Date, From, Sender, Reply-To...), and setHeader fills the placeholder, moving the field above every line
     * read from the message (a From above the Received fields). Removing every name and adding the lines back
     * with addHeaderLine (which appends) keeps each line where it was, and every untouched line byte for byte.
     */
    private static void replaceHeaderLines(MimeMessage message, List<String> lines, List<String> edited) throws MessagingException {
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            names.add(HeaderLine.of(line).name.toLowerCase(Locale.ROOT));
        }
        for (String name : names) {
            message.removeHeader(name);
        }
        for (String line : edited) {
            message.addHeaderLine(line);
        }
    }

    private String hideClient(Mail mail, String received, Submission submission, TraceToken token) throws MessagingException {
        String client = submission.clientAddress()
            .orElseThrow(() -> failure(mail, "the submission mark has no client address: cannot write the trace token"));
        String session = submission.sessionId()
            .orElseThrow(() -> failure(mail, "the mail has no SMTP session id: cannot write the trace token"));
        String hidden;
        try {
            hidden = ReceivedTrace.hideClient(received, token.clientName(client, session), publicHostName);
        } catch (ReceivedFormatException e) {
            throw failure(mail, "cannot hide the client in the topmost Received field: " + e.getMessage());
        }
        if (hidden.contains("[" + client + "]")) {
            throw failure(mail, "the topmost Received field still shows the client address after hiding: '" + hidden + "'");
        }
        return hidden;
    }

    private void rewriteEnvelopeSender(Mail mail, RewriteMap map) throws MessagingException {
        MaybeSender sender = mail.getMaybeSender();
        if (sender.isNullSender()) {
            return;
        }
        MailAddress address = sender.get();
        Optional<String> rewritten = map.rewriteAddress(address.getLocalPart(), address.getDomain().asString());
        if (rewritten.isEmpty()) {
            return;
        }
        if (!(mail instanceof MailImpl)) {
            throw failure(mail, "cannot change the envelope sender of a " + mail.getClass().getName());
        }
        MailAddress newSender = new MailAddress(rewritten.get());
        ((MailImpl) mail).setSender(newSender);
        LOGGER.debug("Rewrote the envelope sender of mail {} from {} to {}", mail.getName(), address.asString(), newSender.asString());
    }

    private String rewriteAddresses(Mail mail, HeaderLine field, RewriteMap map) throws MessagingException {
        try {
            return map.rewriteAddressList(field.value);
        } catch (AddressSyntaxException e) {
            throw failure(mail, "cannot rewrite the " + field.name + " field '" + field.value + "': " + e.getMessage()
                + " at position " + (e.position() + 1));
        }
    }

    private MessagingException failure(Mail mail, String problem) {
        return new MessagingException(ConcealLocalAddresses.class.getName() + ": mail " + mail.getName() + ": " + problem);
    }

    @Override
    public String getMailetInfo() {
        return "ConcealLocalAddresses: rewrite map " + rewriteMap.map(file -> file.file().toString()).orElse("none")
            + ", client hidden in Received: " + traceToken.isPresent()
            + ", removed fields: " + (removedFields.isEmpty() ? "none" : String.join(", ", removedFields.names()))
            + " (RFC 6409 section 8.8)";
    }

    /** One raw header line ("Name: value", folding included), split where the value starts. */
    private static final class HeaderLine {
        private final String line;
        private final String name;
        private final int valueStart;
        private final String value;

        private HeaderLine(String line, String name, int valueStart) {
            this.line = line;
            this.name = name;
            this.valueStart = valueStart;
            this.value = line.substring(valueStart);
        }

        /** As JavaMail reads it: the name before the colon, trimmed; the value after the white space that follows. */
        static HeaderLine of(String line) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                return new HeaderLine(line, line.trim(), line.length());
            }
            int start = colon + 1;
            while (start < line.length() && " \t\r\n".indexOf(line.charAt(start)) >= 0) {
                start++;
            }
            return new HeaderLine(line, line.substring(0, colon).trim(), start);
        }

        String withValue(String newValue) {
            return newValue.equals(value) ? line : line.substring(0, valueStart) + newValue;
        }
    }

    private static final class LoggingListener implements RewriteMapFile.Listener {
        @Override
        public void reloaded(Path file, RewriteMap map) {
            LOGGER.info("Reloaded the address rewrite map {}: {} rules", file, map.size());
        }

        @Override
        public void reloadFailed(Path file, RewriteMapException problem, RewriteMap kept) {
            LOGGER.error("Cannot reload the address rewrite map: {}; keeping the previous map ({} rules) until the file changes",
                problem.getMessage(), kept.size());
        }
    }
}
