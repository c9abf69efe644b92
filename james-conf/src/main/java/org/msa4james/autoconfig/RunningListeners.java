package org.msa4james.autoconfig;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.protocols.lib.netty.AbstractServerFactory;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.common.collect.ImmutableList;

/**
 * The SMTP and IMAP listeners James runs, as {@link ListenerFacts}, read from its server factories at each call:
 * the ports they are bound to (not the ones configured: a listener configured on port 0 reports the port it got),
 * whether TLS starts at once or with STARTTLS, and, for SMTP, whether AUTH is offered at all ({@code announce}
 * other than {@code never}).
 */
public class RunningListeners {
    private final SMTPServerFactory smtpServers;
    private final IMAPServerFactory imapServers;

    @Inject
    public RunningListeners(SMTPServerFactory smtpServers, IMAPServerFactory imapServers) {
        this.smtpServers = smtpServers;
        this.imapServers = imapServers;
    }

    public List<ListenerFacts> listeners() {
        return Stream.concat(
                facts(smtpServers, MailService.Protocol.SMTP),
                facts(imapServers, MailService.Protocol.IMAP))
            .collect(ImmutableList.toImmutableList());
    }

    private static Stream<ListenerFacts> facts(AbstractServerFactory factory, MailService.Protocol protocol) {
        return factory.getServers().stream()
            .filter(AbstractConfigurableAsyncServer::isEnabled)
            .flatMap(server -> server.getListenAddresses().stream()
                .map(InetSocketAddress::getPort)
                .distinct()
                .map(port -> new ListenerFacts(protocol, port,
                    server.getSocketType().equals("secure"),
                    server.getStartTLSSupported(),
                    loginOffered(server))));
    }

    private static boolean loginOffered(AbstractConfigurableAsyncServer server) {
        if (server instanceof SMTPServer) {
            return ((SMTPServer) server).getAuthRequired() != SMTPServer.AuthenticationAnnounceMode.NEVER;
        }
        return true;
    }
}
