package org.msa4james.smtp;

import static org.mockito.Mockito.mock;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.smtpserver.ExtendedSMTPSession;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A connection shaped like James's around its core handler (a line framer first, the core handler last) on a Netty
 * EmbeddedChannel, with James's own session class over James's Netty transport. The core handler records the errors
 * that reach it.
 */
final class EmbeddedJamesConnection {
    final EmbeddedChannel channel;
    final ExtendedSMTPSession session;
    final List<Throwable> errorsReachingJames = new ArrayList<>();

    EmbeddedJamesConnection() {
        channel = new EmbeddedChannel() {
            @Override
            public SocketAddress remoteAddress() {
                return new InetSocketAddress("203.0.113.5", 40_000);
            }

            @Override
            public SocketAddress localAddress() {
                return new InetSocketAddress("127.0.0.1", 587);
            }
        };
        channel.pipeline().addLast("framer", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast(HandlerConstants.CORE_HANDLER, new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errorsReachingJames.add(cause);
            }
        });
        session = new ExtendedSMTPSession(mock(SMTPConfiguration.class), new NettyProtocolTransport(channel, null, false));
    }

    /** Whether the handler of that name sits right in front of James's core handler. */
    boolean hasRightBeforeCoreHandler(String name) {
        List<String> names = channel.pipeline().names();
        return names.indexOf(name) >= 0 && names.indexOf(HandlerConstants.CORE_HANDLER) - names.indexOf(name) == 1;
    }
}
