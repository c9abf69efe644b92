package org.msa4james.smtp;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * The Netty pipeline of a James 3.8.1 connection, for the few handlers that must act below James's SMTP layer. James
 * offers no way to add to it, so the channel is read from its NettyProtocolTransport; on another transport (or a James
 * whose transport changed shape) there is no pipeline and those handlers do nothing.
 */
final class ConnectionPipeline {
    /**
     * What a connect handler that only installs something answers: nothing is written. Not {@code null}, which
     * James's per-listener connection statistics (AbstractConnectHandlerResultJMXMonitor) cannot count.
     */
    static final Response NO_REPLY = new Response() {
        @Override
        public String getRetCode() {
            return "";
        }

        @Override
        public List<CharSequence> getLines() {
            return Collections.emptyList();
        }

        @Override
        public boolean isEndSession() {
            return false;
        }
    };

    private static final Optional<Field> CHANNEL_FIELD = channelField();

    private ConnectionPipeline() {
    }

    static Optional<ChannelPipeline> of(ProtocolSession session) {
        if (!(session instanceof ProtocolSessionImpl) || CHANNEL_FIELD.isEmpty()) {
            return Optional.empty();
        }
        ProtocolTransport transport = ((ProtocolSessionImpl) session).getProtocolTransport();
        if (!(transport instanceof NettyProtocolTransport)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((Channel) CHANNEL_FIELD.get().get(transport)).map(Channel::pipeline);
        } catch (IllegalAccessException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Adds the handler right in front of James's core handler, once per connection; false if that is not possible. */
    static boolean addBeforeCoreHandler(ProtocolSession session, String name, ChannelHandler handler) {
        return of(session)
            .filter(pipeline -> pipeline.get(HandlerConstants.CORE_HANDLER) != null)
            .map(pipeline -> {
                if (pipeline.get(name) == null) {
                    pipeline.addBefore(HandlerConstants.CORE_HANDLER, name, handler);
                }
                return true;
            })
            .orElse(false);
    }

    /**
     * Puts a connection's own handler in front of James's core handler, once per connection, and says once in the log
     * (WARN, on the owner's logger) what is lost when the pipeline cannot be reached.
     */
    static final class Installer {
        private final String name;
        private final Logger logger;
        private final String withoutIt;
        private final AtomicBoolean warned = new AtomicBoolean();

        /** @param withoutIt what happens when the handler cannot be installed, e.g. "cleartext ... is logged" */
        Installer(String name, Class<?> owner, String withoutIt) {
            this.name = name;
            this.logger = LoggerFactory.getLogger(owner);
            this.withoutIt = withoutIt;
        }

        /** @return {@link #NO_REPLY}, what a connect handler that installs the handler answers */
        Response install(ProtocolSession session, ChannelHandler handler) {
            if (!addBeforeCoreHandler(session, name, handler) && warned.compareAndSet(false, true)) {
                logger.warn("Cannot reach the connection's Netty pipeline: {}", withoutIt);
            }
            return NO_REPLY;
        }
    }

    private static Optional<Field> channelField() {
        try {
            Field field = NettyProtocolTransport.class.getDeclaredField("channel");
            if (!Channel.class.isAssignableFrom(field.getType())) {
                return Optional.empty();
            }
            field.setAccessible(true);
            return Optional.of(field);
        } catch (NoSuchFieldException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
