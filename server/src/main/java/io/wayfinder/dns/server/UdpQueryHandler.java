package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Answers datagrams on one UDP socket. Responses are written as they are made and flushed once
 * per read batch, so a burst read with recvmmsg goes out in few system calls.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryProcessor processor;

    UdpQueryHandler(QueryProcessor processor) {
        super(true);
        this.processor = processor;
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
        // client; the socket keeps serving everyone else.
    }
}
