package org.msa4james.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a command after a pause without holding James's IO thread. James 3.8.1 writes a command handler's reply as
 * soon as the handler returns and runs handlers on the Netty event loop that serves many connections, so sleeping in a
 * handler would stall them all. Instead {@link #delay} stops reading from the connection, returns a placeholder reply
 * that writes nothing ({@link Pending}), and a scheduler thread writes the real reply when the pause is over and
 * resumes reading.
 *
 * <p>A client may not send anything before it has the reply (AUTH is not pipelined, RFC 4954 section 4). Lines that
 * arrive anyway during the pause (those already read from the socket when reading stopped) are discarded, and the
 * connection is then closed after the reply, since the client is out of step with the server.</p>
 *
 * <p>A session of another kind than James's own {@link ProtocolSessionImpl} (whose transport this needs), and a zero
 * pause, get the reply at once.</p>
 */
public final class DelayedReplies {
    private static final Logger LOGGER = LoggerFactory.getLogger(DelayedReplies.class);
    private static final DelayedReplies SHARED = new DelayedReplies(defaultScheduler());

    private final ScheduledExecutorService scheduler;

    DelayedReplies(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** The instance the handlers share: one daemon thread, which only writes replies and never blocks on a client. */
    public static DelayedReplies shared() {
        return SHARED;
    }

    /**
     * @return what the handler should return: {@code reply} itself when it cannot or need not be delayed, otherwise a
     *     {@link Pending} placeholder, while {@code reply} is written after {@code pause}
     */
    public Response delay(ProtocolSession session, Response reply, Duration pause) {
        if (pause.isZero() || !(session instanceof ProtocolSessionImpl)) {
            return reply;
        }
        ProtocolTransport transport = ((ProtocolSessionImpl) session).getProtocolTransport();
        DiscardingLineHandler discarded = new DiscardingLineHandler();
        transport.setReadable(false);
        transport.pushLineHandler(discarded, session);
        scheduler.schedule(() -> release(transport, session, reply, discarded), pause.toMillis(), TimeUnit.MILLISECONDS);
        return new Pending(reply);
    }

    private static void release(ProtocolTransport transport, ProtocolSession session, Response reply,
                                DiscardingLineHandler discarded) {
        try {
            transport.popLineHandler();
            int lines = discarded.count();
            if (lines > 0) {
                LOGGER.debug("Closing session {} after its client sent {} line(s) before the reply", session.getSessionID(), lines);
            }
            transport.writeResponse(lines == 0 ? reply : endingSession(reply), session);
        } catch (RuntimeException e) {
            // The client left during the pause: there is no connection to answer any more.
            LOGGER.debug("Cannot write the delayed reply of session {}: {}", session.getSessionID(), e.toString());
        } finally {
            try {
                transport.setReadable(true);
            } catch (RuntimeException e) {
                LOGGER.debug("Cannot resume reading session {}: {}", session.getSessionID(), e.toString());
            }
        }
    }

    /** The same reply, every line as it is, ending the session. */
    private static Response endingSession(Response reply) {
        return new Response() {
            @Override
            public String getRetCode() {
                return reply.getRetCode();
            }

            @Override
            public List<CharSequence> getLines() {
                return reply.getLines();
            }

            @Override
            public boolean isEndSession() {
                return true;
            }
        };
    }

    private static ScheduledExecutorService defaultScheduler() {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "msa4james-delayed-replies-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * What the handler returns in place of a delayed reply: James writes its (no) lines at once, and the result
     * handlers see the code of the reply to come; {@link #reply()} is the reply itself (the refusal log prints it).
     */
    public static final class Pending implements Response {
        private final Response reply;

        Pending(Response reply) {
            this.reply = reply;
        }

        public Response reply() {
            return reply;
        }

        @Override
        public String getRetCode() {
            return reply.getRetCode();
        }

        @Override
        public List<CharSequence> getLines() {
            return new ArrayList<>();
        }

        @Override
        public boolean isEndSession() {
            return false;
        }
    }

    /** Stands in for the command dispatcher during the pause: counts and drops what the client sends too early. */
    private static final class DiscardingLineHandler implements LineHandler<ProtocolSession> {
        private final AtomicInteger lines = new AtomicInteger();

        @Override
        public Response onLine(ProtocolSession session, byte[] line) {
            lines.incrementAndGet();
            return null;
        }

        int count() {
            return lines.get();
        }
    }
}
