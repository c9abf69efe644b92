package org.msa4james.autoconfig;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the published documents, indented, through the JDK's own StAX writer: every text and attribute value is
 * escaped by the writer, so nothing a client sent can become markup. One instance writes one document.
 */
final class XmlWriter {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();
    private static final String INDENT = "  ";

    private final StringWriter buffer = new StringWriter();
    private final XMLStreamWriter writer;
    private int depth;

    XmlWriter() {
        try {
            writer = FACTORY.createXMLStreamWriter(buffer);
            writer.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write XML", e);
        }
    }

    /** A document type declaration, written as given (a constant, never input). */
    XmlWriter doctype(String declaration) {
        return write(() -> {
            writer.writeCharacters("\n");
            writer.writeDTD(declaration);
        });
    }

    XmlWriter start(String name) {
        return write(() -> {
            newLine();
            writer.writeStartElement(name);
            depth++;
        });
    }

    /** An element that declares {@code namespace} as the default namespace of itself and its descendants. */
    XmlWriter startDefaultNamespace(String name, String namespace) {
        return write(() -> {
            newLine();
            writer.writeStartElement(name);
            writer.writeDefaultNamespace(namespace);
            depth++;
        });
    }

    XmlWriter attribute(String name, String value) {
        return write(() -> writer.writeAttribute(name, value));
    }

    /** {@code <name>text</name>} on one line. */
    XmlWriter element(String name, String text) {
        return write(() -> {
            newLine();
            writer.writeStartElement(name);
            writer.writeCharacters(text);
            writer.writeEndElement();
        });
    }

    /** {@code <name/>}. */
    XmlWriter empty(String name) {
        return write(() -> {
            newLine();
            writer.writeEmptyElement(name);
        });
    }

    XmlWriter end() {
        return write(() -> {
            depth--;
            newLine();
            writer.writeEndElement();
        });
    }

    /** The document in UTF-8, with a final line end. */
    byte[] toBytes() {
        write(() -> {
            writer.writeEndDocument();
            writer.flush();
        });
        return (buffer + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void newLine() throws XMLStreamException {
        writer.writeCharacters("\n" + INDENT.repeat(depth));
    }

    private XmlWriter write(Step step) {
        try {
            step.run();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write XML", e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws XMLStreamException;
    }
}
