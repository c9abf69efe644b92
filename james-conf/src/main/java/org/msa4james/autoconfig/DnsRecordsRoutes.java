package org.msa4james.autoconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.eclipse.jetty.http.HttpStatus;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /submission/dns/{domain}}: the DNS records to publish for a local domain ({@link DnsZoneFragment}), as
 * {@code text/plain} to paste into its zone. The ports are those the listeners are bound to now; the DKIM record is
 * read from {@code conf/dkim/<domain>.dns.txt} when that file exists (bin/msa4james writes it for the default domain).
 * A name that is not a domain is answered 400, a domain that is not local 404, both with James's JSON error.
 *
 * <p>Registered by {@link AutoconfigModule} (a Guice multibinding of webadmin's {@link Routes}), like James's own
 * routes: it is part of the server and needs the server's listeners, not an extension of the mail processing.</p>
 */
public class DnsRecordsRoutes implements Routes {
    public static final String BASE_PATH = "/submission/dns";
    private static final String DOMAIN_PARAMETER = "domain";
    private static final int MAX_RECORD_FILE = 16 * 1024;

    private final DomainList domainList;
    private final RunningListeners listeners;
    private final AutoconfigConfiguration configuration;
    private final AutoconfigServer server;
    private final JamesDirectoriesProvider directories;

    @Inject
    public DnsRecordsRoutes(DomainList domainList, RunningListeners listeners, AutoconfigConfiguration configuration,
                            AutoconfigServer server, JamesDirectoriesProvider directories) {
        this.domainList = domainList;
        this.listeners = listeners;
        this.configuration = configuration;
        this.server = server;
        this.directories = directories;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH + "/:" + DOMAIN_PARAMETER, this::records);
    }

    private String records(Request request, Response response) throws DomainListException {
        String domain = localDomain(request.params(DOMAIN_PARAMETER));
        String hostName = configuration.hostName().orElseThrow(() -> ErrorResponder.builder()
            .statusCode(HttpStatus.CONFLICT_409)
            .type(ErrorType.WRONG_STATE)
            .message("The host name to publish is unknown: " + AutoconfigConfiguration.FILE + " is missing")
            .haltError());
        String zone = DnsZoneFragment.write(domain, MailSettings.of(hostName, listeners.listeners()),
            server.httpPort(), server.httpsPort(), dkim(domain));
        response.type("text/plain; charset=us-ascii");
        return zone;
    }

    private String localDomain(String name) throws DomainListException {
        String domain;
        try {
            domain = EmailAddress.checkDomain(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorType.INVALID_ARGUMENT)
                .message("'" + name + "' is not a domain name of letters, digits and hyphens")
                .haltError();
        }
        if (!domainList.containsDomain(Domain.of(domain))) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .type(ErrorType.NOT_FOUND)
                .message("'" + domain + "' is not a local domain")
                .haltError();
        }
        return domain;
    }

    /** The record of {@code conf/dkim/<domain>.dns.txt}; the domain is a checked name, so the path stays in conf/dkim. */
    private DnsZoneFragment.DkimKey dkim(String domain) {
        String source = "conf/dkim/" + domain + ".dns.txt";
        Path file = Path.of(directories.getConfDirectory(), "dkim", domain + ".dns.txt");
        Optional<String> line;
        try {
            line = firstRecordLine(file);
        } catch (NoSuchFileException e) {
            return DnsZoneFragment.DkimKey.none(source + " does not exist (bin/msa4james creates the default domain's key)");
        } catch (IOException e) {
            return DnsZoneFragment.DkimKey.none(source + " cannot be read: " + e.getMessage());
        }
        try {
            return DnsZoneFragment.DkimKey.of(DkimTxtRecord.parse(line.orElse(""), domain), source);
        } catch (IllegalArgumentException e) {
            return DnsZoneFragment.DkimKey.none(source + " is " + e.getMessage() + " and is left out");
        }
    }

    private static Optional<String> firstRecordLine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(MAX_RECORD_FILE), StandardCharsets.US_ASCII);
            return text.lines()
                .filter(line -> !line.isBlank() && !line.trim().startsWith(";"))
                .findFirst();
        }
    }
}
