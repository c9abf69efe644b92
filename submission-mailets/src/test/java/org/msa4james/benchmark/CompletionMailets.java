package org.msa4james.benchmark;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.msa4james.mailet.AddMissingDate;
import org.msa4james.mailet.AddMissingMessageId;
import org.msa4james.mailet.AddSender;
import org.msa4james.mailet.CompletionJamesServices;
import org.msa4james.mailet.ConcealLocalAddresses;
import org.msa4james.mailet.QualifyAddresses;
import org.msa4james.mailet.TransferEncode;
import org.slf4j.LoggerFactory;

/**
 * The mailets of the shipped {@code submission} processor that {@link HeaderMailetsBenchmark} and
 * {@link SubmissionChainBenchmark} share, initialised as in the shipped mailetcontainer.xml with the constructors
 * James's Guice uses, over a working directory that holds the address rewrite map (deleted by {@link #close()}).
 * Log level WARN: the completion mailets log one INFO line per message, whose cost depends on the site's appenders and
 * not on the message.
 */
final class CompletionMailets implements Closeable {
    static final String TRACE_KEY = "benchmark-trace-key-0123456789abcdefghij";
    static final String DOMAIN_EXPANSIONS = "sales=sales.example.test";
    static final String REWRITE_MAP = "@squeaky.sales.example.test  @example.test\n";

    final Mailet addMissingDate;
    final Mailet addMissingMessageId;
    final Mailet qualifyAddresses;
    final Mailet addSender;
    final Mailet concealLocalAddresses;
    final Mailet transferEncode;
    private final Path workingDirectory;

    private CompletionMailets(Path workingDirectory) throws Exception {
        this.workingDirectory = workingDirectory;
        CompletionJamesServices james = CompletionJamesServices.create();
        addMissingDate = initialised(new AddMissingDate(), config("AddMissingDate").setProperty("timeZone", "UTC"));
        addMissingMessageId = initialised(new AddMissingMessageId(james.domainList()), config("AddMissingMessageId"));
        qualifyAddresses = initialised(new QualifyAddresses(), config("QualifyAddresses")
            .setProperty("domainExpansions", DOMAIN_EXPANSIONS));
        addSender = initialised(new AddSender(james.canSendFrom(), james.domainList()), config("AddSender"));
        concealLocalAddresses = initialised(
            new ConcealLocalAddresses(new FileSystemImpl(new JamesServerResourceLoader(workingDirectory.toString()))),
            config("ConcealLocalAddresses")
                .setProperty("rewriteMap", "file://conf/address-rewrite.map")
                .setProperty("reloadInterval", "10")
                .setProperty("hideClientInTrace", "true")
                .setProperty("traceKey", TRACE_KEY)
                .setProperty("removeHeaders", "X-Originating-IP"));
        transferEncode = initialised(new TransferEncode(), config("TransferEncode"));
    }

    /** Sets the log level to WARN, writes the rewrite map in a new working directory, and initialises the mailets. */
    static CompletionMailets create() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        Path workingDirectory = Files.createTempDirectory("msa4james-benchmark");
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.write(workingDirectory.resolve("conf").resolve("address-rewrite.map"), REWRITE_MAP.getBytes(StandardCharsets.UTF_8));
        return new CompletionMailets(workingDirectory);
    }

    static FakeMailetConfig.Builder config(String name) {
        return FakeMailetConfig.builder().mailetName(name);
    }

    static Mailet initialised(Mailet mailet, FakeMailetConfig.Builder config) throws MessagingException {
        mailet.init(config.build());
        return mailet;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(workingDirectory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
