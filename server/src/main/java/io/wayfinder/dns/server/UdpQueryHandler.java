package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;

/**
 * Answers datagrams on one UDP socket. Responses are written as they are made and flushed once
 * per read batch, so a burst read with recvmmsg goes out in few system calls. Each answer's time
 * from decode to written is recorded in the event loop's {@link AnswerDurations.Recorder}.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryProcessor processor;
    private final ServerStats stats;
    private final AnswerDurations.Recorder durations;

    UdpQueryHandler(QueryProcessor processor, ServerStats stats, AnswerDurations.Recorder durations) {
        super(true);
        this.processor = processor;
        this.stats = stats;
        this.durations = durations;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        long start = System.nanoTime();
        ByteBuf response = processor.process(packet.content(), packet.sender(), false, ctx.alloc(), 0);
        if (response != null) {
            ctx.write(new DatagramPacket(response, packet.sender(), packet.recipient()), ctx.voidPromise());
            durations.record(System.nanoTime() - start);
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
