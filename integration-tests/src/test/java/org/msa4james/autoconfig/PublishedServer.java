package org.msa4james.autoconfig;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One server setting a document tells a mail client, read from the document the way a client reads it: the
 * protocol, host name, port, whether TLS starts at once, and the user name (with {@code %EMAILADDRESS%} already
 * replaced, as Thunderbird does). Parsed with the JDK's XML parser, namespace aware, never fetching a DTD.
 */
final class PublishedServer {
    static final String AUTODISCOVER_ENVELOPE = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String AUTODISCOVER_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    final String protocol;
    final String host;
    final int port;
    final boolean implicitTls;
    final String userName;

    PublishedServer(String protocol, String host, int port, boolean implicitTls, String userName) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.implicitTls = implicitTls;
        this.userName = userName;
    }

    /** Every incomingServer and outgoingServer of a clientConfig document, in document order. */
    static List<PublishedServer> fromClientConfig(Document document, String emailAddress) {
        List<PublishedServer> servers = new ArrayList<>();
        Element provider = child(document.getDocumentElement(), null, "emailProvider");
        for (Element server : children(provider, null)) {
            if (!server.getTagName().equals("incomingServer") && !server.getTagName().equals("outgoingServer")) {
                continue;
            }
            String socketType = text(server, null, "socketType");
            servers.add(new PublishedServer(server.getAttribute("type").toUpperCase(Locale.ROOT),
                text(server, null, "hostname"), Integer.parseInt(text(server, null, "port")),
                socketType.equals("SSL"), text(server, null, "username").replace("%EMAILADDRESS%", emailAddress)));
        }
        return servers;
    }

    /** Every Protocol of an Autodiscover answer, in document order (Encryption SSL: implicit TLS; TLS: STARTTLS). */
    static List<PublishedServer> fromAutodiscover(Document document) {
        List<PublishedServer> servers = new ArrayList<>();
        Element account = child(child(document.getDocumentElement(), AUTODISCOVER_RESPONSE, "Response"), AUTODISCOVER_RESPONSE, "Account");
        for (Element protocol : children(account, AUTODISCOVER_RESPONSE)) {
            if (!protocol.getLocalName().equals("Protocol")) {
                continue;
            }
            servers.add(new PublishedServer(text(protocol, AUTODISCOVER_RESPONSE, "Type"),
                text(protocol, AUTODISCOVER_RESPONSE, "Server"), Integer.parseInt(text(protocol, AUTODISCOVER_RESPONSE, "Port")),
                text(protocol, AUTODISCOVER_RESPONSE, "Encryption").equals("SSL"), text(protocol, AUTODISCOVER_RESPONSE, "LoginName")));
        }
        return servers;
    }

    /** The IMAP and SMTP servers of the mail payload of an Apple profile (UseSSL: TLS from the first byte). */
    static List<PublishedServer> fromMobileConfig(Map<String, Object> mailPayload) {
        return List.of(
            new PublishedServer("IMAP", (String) mailPayload.get("IncomingMailServerHostName"),
                (Integer) mailPayload.get("IncomingMailServerPortNumber"),
                (Boolean) mailPayload.get("IncomingMailServerUseSSL"), (String) mailPayload.get("IncomingMailServerUsername")),
            new PublishedServer("SMTP", (String) mailPayload.get("OutgoingMailServerHostName"),
                (Integer) mailPayload.get("OutgoingMailServerPortNumber"),
                (Boolean) mailPayload.get("OutgoingMailServerUseSSL"), (String) mailPayload.get("OutgoingMailServerUsername")));
    }

    /** A property list ({@code <plist><dict>...}) as maps, lists, strings, integers and booleans. */
    static Object plist(Document document) {
        Element plist = document.getDocumentElement();
        if (!plist.getTagName().equals("plist") || !plist.getAttribute("version").equals("1.0")) {
            throw new AssertionError("not a plist 1.0: " + plist.getTagName());
        }
        List<Element> top = children(plist, null);
        if (top.size() != 1) {
            throw new AssertionError("a plist holds one value, not " + top.size());
        }
        return plistValue(top.get(0));
    }

    private static Object plistValue(Element element) {
        switch (element.getTagName()) {
            case "dict":
                Map<String, Object> dict = new LinkedHashMap<>();
                List<Element> entries = children(element, null);
                for (int i = 0; i < entries.size(); i += 2) {
                    Element key = entries.get(i);
                    if (!key.getTagName().equals("key") || dict.put(key.getTextContent(), plistValue(entries.get(i + 1))) != null) {
                        throw new AssertionError("a dict is distinct keys each followed by a value");
                    }
                }
                return dict;
            case "array":
                List<Object> array = new ArrayList<>();
                children(element, null).forEach(item -> array.add(plistValue(item)));
                return array;
            case "string":
                return element.getTextContent();
            case "integer":
                return Integer.valueOf(element.getTextContent());
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new AssertionError("unexpected plist element " + element.getTagName());
        }
    }

    /** Parses with the JDK's parser: namespaces on, no DTD fetched (a plist names Apple's), no entity expanded. */
    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The element children of {@code parent} (in {@code namespace}, or in none when null). */
    static List<Element> children(Element parent, String namespace) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element) {
                if (!Objects.equals(node.getNamespaceURI(), namespace)) {
                    throw new AssertionError("element " + node.getNodeName() + " in namespace " + node.getNamespaceURI()
                        + ", expected " + namespace);
                }
                elements.add((Element) node);
            } else if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                throw new AssertionError("text '" + node.getTextContent().trim() + "' beside elements in " + parent.getNodeName());
            }
        }
        return elements;
    }

    /** The only child named {@code name}. */
    static Element child(Element parent, String namespace, String name) {
        List<Element> found = new ArrayList<>();
        for (Element element : children(parent, namespace)) {
            if (element.getLocalName().equals(name)) {
                found.add(element);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(parent.getLocalName() + " has " + found.size() + " " + name + " elements, expected 1");
        }
        return found.get(0);
    }

    static String text(Element parent, String namespace, String name) {
        return child(parent, namespace, name).getTextContent();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof PublishedServer)) {
            return false;
        }
        PublishedServer that = (PublishedServer) other;
        return protocol.equals(that.protocol) && host.equals(that.host) && port == that.port && implicitTls == that.implicitTls
            && userName.equals(that.userName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, host, port, implicitTls, userName);
    }

    @Override
    public String toString() {
        return protocol + " " + host + ":" + port + (implicitTls ? " implicit TLS" : " STARTTLS") + " as " + userName;
    }
}
