package org.msa4james.autoconfig;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Collects a request and its body up to {@value #MAX_BODY} octets. A larger body (announced by Content-Length, or
 * found while reading a chunked one) is answered 413 Content Too Large (RFC 9110 section 15.5.14: the server refuses
 * the content because of its size, which is what happens; 400 would say the request is malformed, which it is not)
 * and the connection is closed, since the rest of the body will not be read.
 */
final class BoundedRequestAggregator extends HttpObjectAggregator {
    static final int MAX_BODY = 64 * 1024;

    BoundedRequestAggregator() {
        super(MAX_BODY, true);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        HttpAnswer answer = HttpAnswer.error(413, "Content Too Large", "the request body is larger than " + MAX_BODY + " octets");
        ctx.writeAndFlush(AutoconfigHttpHandler.response(answer, false, false))
            .addListener(ChannelFutureListener.CLOSE);
    }
}
