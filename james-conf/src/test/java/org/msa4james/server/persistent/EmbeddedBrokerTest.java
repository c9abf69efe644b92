package org.msa4james.server.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javax.jms.Connection;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.TextMessage;

import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.server.MsaJamesConfiguration;

/** The broker of the persistent server, on a real KahaDB journal in a temporary data directory. */
class EmbeddedBrokerTest {
    @TempDir
    Path home;

    /**
     * James takes a mail from its queue in a transaction, and rolls it back when processing fails or James stops in
     * the middle; ActiveMQ's default would move the mail to a dead-letter queue that James never reads after 6
     * rollbacks, a silent loss. Here 20 rollbacks, and the mail is still there for the next consumer.
     */
    @Test
    void aMailRolledBackManyTimesShouldStayInItsQueue() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(new FileSystemImpl(MsaJamesConfiguration.fromHome(home, home.resolve("var")).directories()));
        try {
            Connection connection = broker.connectionFactory().createConnection();
            try {
                connection.start();
                Session producer = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                producer.createProducer(producer.createQueue("outgoing")).send(producer.createTextMessage("mail 1"));

                for (int attempt = 1; attempt <= 20; attempt++) {
                    Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                    Queue queue = session.createQueue("outgoing");
                    MessageConsumer consumer = session.createConsumer(queue);
                    Message message = consumer.receive(5_000);
                    assertThat(message).as("attempt " + attempt).isInstanceOf(TextMessage.class);
                    assertThat(((TextMessage) message).getText()).isEqualTo("mail 1");
                    session.rollback();
                    consumer.close();
                    session.close();
                }

                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                Message last = session.createConsumer(session.createQueue("outgoing")).receive(5_000);
                assertThat(((TextMessage) last).getText()).isEqualTo("mail 1");
                session.commit();
                session.close();
                Session deadLetters = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(deadLetters.createConsumer(deadLetters.createQueue("ActiveMQ.DLQ")).receive(500)).isNull();
            } finally {
                connection.close();
            }
        } finally {
            broker.stop();
        }
    }
}
