package org.msa4james.autoconfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the body of a POX Autodiscover request (Outlook's request schema {@value #REQUEST_NAMESPACE}):
 * <pre>
 * &lt;Autodiscover xmlns="...outlook/requestschema/2006"&gt;
 *   &lt;Request&gt;
 *     &lt;EMailAddress&gt;alice@example.test&lt;/EMailAddress&gt;
 *     &lt;AcceptableResponseSchema&gt;...outlook/responseschema/2006a&lt;/AcceptableResponseSchema&gt;
 *   &lt;/Request&gt;
 * &lt;/Autodiscover&gt;
 * </pre>
 * The body is parsed by the JDK's own parser with document type declarations refused (no external entity, no entity
 * expansion) and secure processing on. A request for another response schema (for instance ActiveSync's mobilesync
 * schema) is refused: only the Outlook schema is answered.
 */
public final class AutodiscoverRequest {
    public static final String REQUEST_NAMESPACE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final ErrorHandler FAIL_SILENTLY = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private AutodiscoverRequest() {
    }

    /**
     * The address the request asks settings for.
     *
     * @throws IllegalArgumentException saying what is wrong with the request, without repeating it
     */
    public static EmailAddress emailAddress(byte[] body) {
        Element root = parse(body).getDocumentElement();
        if (!isRequestElement(root, "Autodiscover")) {
            throw new IllegalArgumentException("the body is not an Autodiscover request of the schema " + REQUEST_NAMESPACE);
        }
        Element request = onlyChild(root, "Request");
        onlyOptionalChild(request, "AcceptableResponseSchema").ifPresent(schema -> {
            if (!schema.getTextContent().trim().equals(AutodiscoverDocument.RESPONSE_NAMESPACE)) {
                throw new IllegalArgumentException("only the response schema " + AutodiscoverDocument.RESPONSE_NAMESPACE
                    + " is served");
            }
        });
        return EmailAddress.parse(onlyChild(request, "EMailAddress").getTextContent().trim());
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(FAIL_SILENTLY);
            return builder.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser lacks a feature msa4james needs", e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the body is not well-formed XML without a document type declaration");
        }
    }

    private static Element onlyChild(Element parent, String name) {
        return onlyOptionalChild(parent, name)
            .orElseThrow(() -> new IllegalArgumentException("the Autodiscover request has no " + name));
    }

    private static Optional<Element> onlyOptionalChild(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element && isRequestElement((Element) child, name)) {
                found.add((Element) child);
            }
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("the Autodiscover request has more than one " + name);
        }
        return found.stream().findFirst();
    }

    private static boolean isRequestElement(Element element, String name) {
        return REQUEST_NAMESPACE.equals(element.getNamespaceURI()) && name.equals(element.getLocalName());
    }
}
