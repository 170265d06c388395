package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;

/**
 * Answers the length-prefixed messages of one TCP connection (RFC 7766): pipelined queries are
 * answered in order; an idle connection is closed.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final QueryProcessor processor;

    TcpQueryHandler(QueryProcessor processor) {
        super(true);
        this.processor = processor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
        ByteBuf response = processor.process(message, (InetSocketAddress) ctx.channel().remoteAddress(), true, ctx.alloc(), 2);
        if (response == null) {
            closeAfterPendingAnswers(ctx);
            return;
        }
        response.setShort(0, response.readableBytes() - 2);
        ctx.write(response, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeAfterPendingAnswers(ctx); // a broken connection concerns only this client
    }

    /**
     * Closes the connection once the answers to the queries before it are sent: a client that
     * pipelines a good query and then garbage still gets its answer (RFC 7766 §6.2.1.1).
     */
    private static void closeAfterPendingAnswers(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
