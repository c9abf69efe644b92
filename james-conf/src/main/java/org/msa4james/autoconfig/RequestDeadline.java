package org.msa4james.autoconfig;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Closes a connection that does not send a complete request within the timeout: counted from the moment the
 * connection is accepted (the TLS handshake included) and again from the end of each answer (an idle kept-alive
 * connection). Unlike a read-idle timeout, a client that sends one byte now and then gains nothing, so a slow client
 * holds a connection for at most the timeout.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(RequestDeadline.class);

    private final long timeoutMillis;
    private ScheduledFuture<?> deadline;

    RequestDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (message instanceof LastHttpContent) {
            disarm();
        }
        super.channelRead(ctx, message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (message instanceof LastHttpContent) {
            promise.addListener(future -> {
                if (future.isSuccess() && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            LOGGER.debug("Closing {}: no complete request within {} ms", ctx.channel().remoteAddress(), timeoutMillis);
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
