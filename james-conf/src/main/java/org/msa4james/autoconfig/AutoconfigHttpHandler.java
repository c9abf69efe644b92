package org.msa4james.autoconfig;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Hands each complete request to the {@link AutoconfigResponder} and writes its answer; runs on its own executors,
 * off the IO threads, because the responder reads the domain list. HEAD gets the headers of GET without the body.
 * A request Netty could not decode is answered 414 (request line too long), 431 (header fields too long) or 400,
 * then the connection is closed. One DEBUG line per request, never more: the listener is public.
 */
@ChannelHandler.Sharable
final class AutoconfigHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOGGER = LoggerFactory.getLogger(AutoconfigHttpHandler.class);

    private final AutoconfigResponder responder;

    AutoconfigHttpHandler(AutoconfigResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            HttpAnswer answer = undecodable(request.decoderResult().cause());
            LOGGER.debug("{} undecodable request -> {}", client(ctx), answer.status());
            ctx.writeAndFlush(response(answer, false, false)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        HttpAnswer answer;
        try {
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            answer = responder.answer(request.method().name(), request.uri(),
                Optional.ofNullable(request.headers().get(HttpHeaderNames.HOST)), body);
        } catch (RuntimeException e) {
            LOGGER.warn("Self-configuration request {} {} failed", request.method(), path(request.uri()), e);
            answer = HttpAnswer.error(500, "Internal Server Error", "the server cannot answer now");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && answer.status() != 500;
        LOGGER.debug("{} {} {} -> {}", client(ctx), request.method(), path(request.uri()), answer.status());
        ChannelFuture written = ctx.writeAndFlush(response(answer, head, keepAlive));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOGGER.debug("Closing {} after {}", client(ctx), cause.toString());
        ctx.close();
    }

    /** The HTTP/1.1 response of an answer; its body left out for HEAD (Content-Length still says its size). */
    static FullHttpResponse response(HttpAnswer answer, boolean head, boolean keepAlive) {
        byte[] body = answer.body();
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), content);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
            .set("X-Content-Type-Options", "nosniff")
            .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        answer.headers().forEach(response.headers()::set);
        return response;
    }

    private static HttpAnswer undecodable(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpAnswer.error(414, "URI Too Long", "the request line is too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpAnswer.error(431, "Request Header Fields Too Large", "the header fields are too long");
        }
        return HttpAnswer.error(400, "Bad Request", "the request is not valid HTTP/1.1");
    }

    /** The path of a request target, without its query: what the log shows (never the address asked for). */
    private static String path(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    private static String client(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress) {
            return ((InetSocketAddress) address).getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
