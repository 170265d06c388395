package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;

/**
 * Answers datagrams on one UDP socket. Responses are written as they are made and flushed once
 * per read batch, so a burst read with recvmmsg goes out in few system calls.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryProcessor processor;
    private final ServerStats stats;

    UdpQueryHandler(QueryProcessor processor, ServerStats stats) {
        super(true);
        this.processor = processor;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf response = processor.process(packet.content(), packet.sender(), false, ctx.alloc(), 0);
        if (response != null) {
            ctx.write(new DatagramPacket(response, packet.sender(), packet.recipient()), ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP port unreachable surfaced by the kernel) concerns one
        // client; the socket keeps serving everyone else. Anything else (an Error such as
        // OutOfMemoryError included) is counted and logged, rate-limited; the datagram is lost.
        if (!(cause instanceof IOException)) {
            stats.recordListenerError(cause, "UDP socket " + ctx.channel().localAddress());
        }
    }
}
