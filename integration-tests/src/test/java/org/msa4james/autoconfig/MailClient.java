package org.msa4james.autoconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLSocketFactory;

/**
 * A real mail client (JavaMail's SMTP and IMAP providers) set up from a {@link PublishedServer} alone, as a mail
 * user agent is: the published host name, port and TLS mode ({@code smtps}/{@code imaps} for TLS from the first
 * byte, {@code smtp}/{@code imap} with STARTTLS required otherwise), the published user name, and the password. It
 * checks the server's certificate against the published host name, trusting only the given certificate, and reaches
 * the host through the {@link NameResolvingSocksProxy}, the test's DNS.
 */
final class MailClient {
    private static final String TIMEOUT_MILLIS = "30000";

    private final SSLSocketFactory tls;
    private final int proxyPort;

    MailClient(SSLSocketFactory tls, int proxyPort) {
        this.tls = tls;
        this.proxyPort = proxyPort;
    }

    /** Logs in to a published SMTP server and submits a message from {@code address} to itself. */
    void submit(PublishedServer server, String password, String address, String subject) throws MessagingException {
        String protocol = server.implicitTls ? "smtps" : "smtp";
        Session session = Session.getInstance(properties(protocol, server));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(address));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(address));
        message.setSubject(subject);
        message.setText("Sent with the settings the server published.\n");
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(server.host, server.port, server.userName, password);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** Logs in to a published IMAP server and returns the subjects in INBOX. */
    List<String> inboxSubjects(PublishedServer server, String password) throws MessagingException {
        String protocol = server.implicitTls ? "imaps" : "imap";
        Store store = Session.getInstance(properties(protocol, server)).getStore(protocol);
        store.connect(server.host, server.port, server.userName, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<String> subjects = new ArrayList<>();
                for (Message message : inbox.getMessages()) {
                    subjects.add(message.getSubject());
                }
                return subjects;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    private Properties properties(String protocol, PublishedServer server) {
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.put(prefix + "host", server.host);
        properties.put(prefix + "port", String.valueOf(server.port));
        properties.put(prefix + "ssl.socketFactory", tls);
        properties.put(prefix + "ssl.checkserveridentity", "true");
        // no second attempt with the JDK's default sockets when this one fails: the failure is the answer
        properties.put(prefix + "socketFactory.fallback", "false");
        properties.put(prefix + "socks.host", "127.0.0.1");
        properties.put(prefix + "socks.port", String.valueOf(proxyPort));
        properties.put(prefix + "connectiontimeout", TIMEOUT_MILLIS);
        properties.put(prefix + "timeout", TIMEOUT_MILLIS);
        if (protocol.startsWith("smtp")) {
            properties.put(prefix + "auth", "true");
            properties.put(prefix + "localhost", "client.example.org");
        }
        if (!server.implicitTls) {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", "true");
        }
        return properties;
    }
}
