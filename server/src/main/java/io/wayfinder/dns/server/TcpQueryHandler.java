package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection (RFC 7766): length-prefixed queries, pipelined, answered in order; and the
 * bounds on what one client can hold of the server.
 *
 * <pre>
 *  socket ──read──> input ──one message──> QueryProcessor ──answer──> pending ──> kernel ──> client
 *    ^       (what is read and not yet answered)                (written, not yet taken by the kernel)
 *    │                                                                 │
 *    └── reading stops while maxPendingAnswers answers wait or the ────┘
 *        channel is not writable; it resumes once half of them are taken
 * </pre>
 *
 * <p><b>Memory.</b> A client that sends and never reads fills the kernel's buffers, then
 * {@code maxPendingAnswers} answers here; then the server stops reading it, the kernel's receive
 * window closes and the client's writes block. So a connection holds at most that many answers
 * plus {@code input}: the unanswered rest of the last read and at most one incomplete message.
 *
 * <p><b>Deadlines</b> (one scheduled task per connection, armed at the nearest; like Netty's
 * IdleStateHandler it is not moved on every event but re-arms itself when it fires early):
 * <ul>
 *   <li>idle: nothing under way (no byte of a message read, no answer waiting) for {@code idleTimeout},
 *       or for {@link TcpLimits#crowdedIdleTimeout} if the server was crowded when it was accepted;</li>
 *   <li>message: a message begun (its first byte read) and not complete within {@code messageTimeout},
 *       however its bytes trickle in: a byte a second no longer keeps a connection (slowloris);
 *       not counted while the server itself has stopped reading;</li>
 *   <li>write: the oldest waiting answer not taken within {@code writeTimeout}.</li>
 * </ul>
 *
 * <p>Every field is confined to the channel's event loop: handlers, write listeners and the timer
 * all run there.
 */
final class TcpQueryHandler extends ChannelInboundHandlerAdapter {
    private final QueryProcessor processor;
    private final ServerStats serverStats;
    private final TcpStats stats;
    /** This connection's event loop's answer times (shared by its connections). */
    private final AnswerDurations.Recorder durations;
    private final int maxPending;
    private final long idleNanos;
    /** Accepted while more than half of the connections were open: its idle time is the crowded one. */
    private final boolean crowded;
    private final long messageNanos;
    private final long writeNanos;
    /** Write times and sizes of the pending answers, a ring of maxPending from {@link #head}. */
    private final long[] writtenAt;
    private final int[] writtenBytes;
    private final ChannelFutureListener writeDone = this::written;

    private ChannelHandlerContext ctx;
    private InetSocketAddress client;
    /** Read and not yet answered; null when empty. Whole messages are only left here while paused. */
    private ByteBuf input;
    /** input's readable bytes as last added to the buffered-bytes gauge. */
    private int inputCounted;
    /** Answers written and not yet taken by the kernel (their write futures not complete). */
    private int pending;
    private int head;
    /** Reading stopped: too many answers waiting, or the channel not writable. */
    private boolean paused;
    private boolean resumeScheduled;
    /** Something that is not a query was read: the answers before it go out, then the connection closes. */
    private boolean closing;
    /** When the first byte of the incomplete message in input was read; -1 when there is none (or paused). */
    private long messageStart = -1;
    /** Since when nothing is under way; -1 while something is. */
    private long idleSince = -1;
    private ScheduledFuture<?> timer;
    private long timerAt;
    /** Why the server closed the connection, once it decided to; counted when it is closed. */
    private TcpStats.CloseReason closeReason;
    private String closeDetail;

    TcpQueryHandler(QueryProcessor processor, ServerStats serverStats, TcpStats stats, TcpLimits limits,
                    boolean crowded, AnswerDurations.Recorder durations) {
        this.processor = processor;
        this.serverStats = serverStats;
        this.stats = stats;
        this.durations = durations;
        this.maxPending = limits.maxPendingAnswers();
        this.crowded = crowded;
        this.idleNanos = (crowded ? limits.crowdedIdleTimeout() : limits.idleTimeout()).toNanos();
        this.messageNanos = limits.messageTimeout().toNanos();
        this.writeNanos = limits.writeTimeout().toNanos();
        this.writtenAt = new long[maxPending];
        this.writtenBytes = new int[maxPending];
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.client = (InetSocketAddress) ctx.channel().remoteAddress();
        idleSince = System.nanoTime();
        arm();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing) {
            in.release();
            return;
        }
        input = input == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, in);
        drain(System.nanoTime());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** Answers every complete message in input, unless too many answers wait; then stops reading. */
    private void drain(long now) {
        boolean answered = false;
        while (input != null && !closing) {
            if (pending >= maxPending || !ctx.channel().isWritable()) {
                pause();
                break;
            }
            int readable = input.readableBytes();
            if (readable < 2) {
                break;
            }
            int length = input.getUnsignedShort(input.readerIndex());
            if (readable < 2 + length) {
                break;
            }
            answered = true;
            answerInPlace(input, length, now);
            if (pending >= maxPending) {
                ctx.flush(); // what the kernel takes now completes at once, and the loop carries on
            }
        }
        keepInput();
        if (input == null || paused || closing) {
            messageStart = -1;
        } else if (answered || messageStart < 0) {
            messageStart = now; // the rest is a message begun in this read
        }
        updateIdle(now);
        arm();
    }

    /**
     * Answers the message at the start of {@code in} (after its length field) where it lies: the
     * buffer's indices are narrowed to it while it is answered, not a slice made (a slice and its
     * leak-aware wrapper were two objects per query), then moved past it.
     */
    private void answerInPlace(ByteBuf in, int length, long now) {
        int start = in.readerIndex() + 2;
        int limit = in.writerIndex();
        in.setIndex(start, start + length);
        try {
            answer(in, now);
        } finally {
            in.setIndex(start + length, limit);
        }
    }

    private void answer(ByteBuf message, long now) {
        long start = System.nanoTime(); // not now: the messages of one read are decoded one after another
        ByteBuf response = processor.process(message, client, true, ctx.alloc(), 2);
        if (response == null) {
            closeAfterPendingAnswers();
            return;
        }
        int bytes = response.readableBytes();
        response.setShort(0, bytes - 2);
        int slot = (head + pending) % maxPending;
        writtenAt[slot] = now;
        writtenBytes[slot] = bytes;
        pending++;
        stats.recordPending(1, bytes);
        ctx.write(response).addListener(writeDone);
        durations.record(System.nanoTime() - start);
    }

    /** A write future completed: the kernel took the answer, or the connection failed or closed. */
    private void written(ChannelFuture future) {
        stats.recordPending(-1, -writtenBytes[head]);
        head = (head + 1) % maxPending;
        pending--;
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            if (!(cause instanceof ClosedChannelException)) {
                decideClose(TcpStats.CloseReason.ERROR, "writing an answer failed: " + cause);
            }
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        maybeResume();
        if (pending == 0) {
            updateIdle(System.nanoTime());
            arm();
        }
    }

    private void pause() {
        if (paused) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        stats.recordReadsPaused(client, pending);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        maybeResume();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Resumes on a task of its own, never from inside a write listener: that listener runs within
     * Netty's flush, where new writes would not be flushed.
     */
    private void maybeResume() {
        if (paused && !resumeScheduled && pending <= maxPending / 2 && ctx.channel().isWritable()) {
            resumeScheduled = true;
            ctx.executor().execute(this::resume);
        }
    }

    private void resume() {
        resumeScheduled = false;
        if (!paused || closing || !ctx.channel().isActive() || pending > maxPending / 2 || !ctx.channel().isWritable()) {
            return;
        }
        paused = false;
        try {
            drain(System.nanoTime()); // the messages read before the pause; it may pause again
            ctx.flush();
            if (!paused && !closing) {
                ctx.channel().config().setAutoRead(true);
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Closes the connection once the answers to the queries before it are sent: a client that
     * pipelines a good query and then garbage still gets its answer (RFC 7766 §6.2.1.1).
     */
    private void closeAfterPendingAnswers() {
        closing = true;
        decideClose(TcpStats.CloseReason.NOT_A_QUERY, "it sent something that is not a query");
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Keeps input only while it holds something, and small: a few bytes do not pin a whole read buffer. */
    private void keepInput() {
        if (input != null && (!input.isReadable() || closing)) {
            input.release();
            input = null;
        } else if (input != null && input.capacity() > 2 * input.readableBytes() + 1024) {
            ByteBuf smaller = ctx.alloc().buffer(input.readableBytes());
            smaller.writeBytes(input);
            input.release();
            input = smaller;
        }
        int now = input == null ? 0 : input.readableBytes();
        stats.recordBuffered(now - inputCounted);
        inputCounted = now;
    }

    private void updateIdle(long now) {
        boolean idle = pending == 0 && input == null && !closing;
        if (!idle) {
            idleSince = -1;
        } else if (idleSince < 0) {
            idleSince = now;
        }
    }

    /** Schedules the timer at the nearest deadline, unless it is already due no later. */
    private void arm() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long deadline = Long.MAX_VALUE;
        if (messageStart >= 0) {
            deadline = messageStart + messageNanos;
        }
        if (pending > 0) {
            deadline = Math.min(deadline, writtenAt[head] + writeNanos);
        }
        if (idleSince >= 0) {
            deadline = Math.min(deadline, idleSince + idleNanos);
        }
        if (deadline == Long.MAX_VALUE || (timer != null && timerAt - deadline <= 0)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = ctx.executor().schedule(this::expire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        timer = null;
        try {
            if (!ctx.channel().isActive()) {
                return;
            }
            long now = System.nanoTime();
            if (messageStart >= 0 && now - messageStart >= messageNanos) {
                close(TcpStats.CloseReason.MESSAGE_TIMEOUT, "a message was not complete within "
                        + millis(messageNanos) + " of its first byte (dns.tcp.messageTimeout)");
            } else if (pending > 0 && now - writtenAt[head] >= writeNanos) {
                close(TcpStats.CloseReason.WRITE_TIMEOUT, pending + " answer(s) not taken by the client within "
                        + millis(writeNanos) + " (dns.tcp.writeTimeout)");
            } else if (idleSince >= 0 && now - idleSince >= idleNanos) {
                if (crowded) {
                    close(TcpStats.CloseReason.IDLE_CROWDED, "idle for " + millis(idleNanos) + ", accepted while more than"
                            + " half of dns.tcp.maxConnections were open");
                } else {
                    close(TcpStats.CloseReason.IDLE, "idle");
                }
            } else {
                arm();
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void close(TcpStats.CloseReason why, String detail) {
        decideClose(why, detail);
        ctx.close();
    }

    private void decideClose(TcpStats.CloseReason why, String detail) {
        if (closeReason == null) {
            closeReason = why;
            closeDetail = detail;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause);
    }

    /**
     * A broken connection (reset, broken pipe) concerns only this client: counted and closed. Anything
     * else that reached this handler (an Error such as OutOfMemoryError included) is also logged with
     * its stack trace, rate-limited, and the connection closed; the event loop carries on.
     */
    private void failed(Throwable cause) {
        if (cause instanceof IOException) {
            close(TcpStats.CloseReason.ERROR, String.valueOf(cause.getMessage()));
            return;
        }
        serverStats.recordListenerError(cause, "TCP connection from " + (client == null ? "?" : DnsServer.format(client)));
        close(TcpStats.CloseReason.ERROR, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        releaseInput();
        if (closeReason != null) {
            stats.recordClosed(closeReason, client, closeDetail);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseInput();
    }

    private void releaseInput() {
        if (input != null) {
            input.release();
            input = null;
        }
        stats.recordBuffered(-inputCounted);
        inputCounted = 0;
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
