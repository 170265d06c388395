package io.wayfinder.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wayfinder.time.LogThrottle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metrics connection: GET or HEAD on {@code /metrics} is a scrape (Prometheus text, or
 * OpenMetrics when the Accept header asks for it); another method there is 405 with {@code Allow};
 * any other path is 404; a request Netty cannot parse is 400 and closes the connection. Keep-alive as
 * the client asks. A client that goes away mid-answer is closed quietly: that is not the server's
 * failure.
 */
final class MetricsRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRequestHandler.class);
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    /** Shared by every metrics connection: clients failing in a loop, on any number of connections, write a line every 10 s. */
    private static final LogThrottle ERROR_LOG = new LogThrottle();

    private final PrometheusRegistry registry;
    private final MetricsHttpServer server;
    private final long requestTimeoutNanos;
    private ScheduledFuture<?> requestTimer;

    MetricsRequestHandler(PrometheusRegistry registry, MetricsHttpServer server, Duration requestTimeout) {
        this.registry = registry;
        this.server = server;
        this.requestTimeoutNanos = requestTimeout.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    /** The next request must arrive whole within the request timeout, or the connection closes. */
    private void awaitRequest(ChannelHandlerContext ctx) {
        requestTimer = ctx.executor().schedule(() -> {
            ctx.close();
        }, requestTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
        server.busy(ctx.channel());
        if (request.decoderResult().cause() instanceof PrematureChannelClosureException) {
            ctx.close(); // closed before a whole request (a port check does so): the client went away
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            server.failed(MetricsHttpServer.Failure.BAD_REQUEST);
            logError("metrics request from " + ctx.channel().remoteAddress() + " could not be parsed: "
                    + request.decoderResult().cause(), null);
            respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        FullHttpResponse response;
        if (!path.equals("/metrics")) {
            response = text(HttpResponseStatus.NOT_FOUND, "not found: metrics are on /metrics\n");
        } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: GET or HEAD\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            response = scrape(ctx, request);
        }
        if (method.equals(HttpMethod.HEAD)) {
            int length = response.content().readableBytes();
            response.content().clear();
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        respond(ctx, request, response, HttpUtil.isKeepAlive(request));
    }

    private FullHttpResponse scrape(ChannelHandlerContext ctx, FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        ExpositionFormatWriter writer = FORMATS.getOpenMetricsTextFormatWriter().accepts(accept)
                ? FORMATS.getOpenMetricsTextFormatWriter() : FORMATS.getPrometheusTextFormatWriter();
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            writer.write(out, registry.scrape());
        } catch (IOException | RuntimeException e) {
            body.release();
            server.failed(MetricsHttpServer.Failure.SCRAPE);
            logError("scraping the metrics failed", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scraping the metrics failed: " + e + "\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, writer.getContentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (keepAlive) {
            ctx.writeAndFlush(response).addListener(f -> {
                if (f.isSuccess()) {
                    server.idle(ctx.channel());
                    awaitRequest(ctx);
                }
            });
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // a reset or broken pipe: the scraper went away
            server.failed(MetricsHttpServer.Failure.CONNECTION);
            logError("metrics connection from " + ctx.channel().remoteAddress() + " failed", cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
        ctx.fireChannelInactive();
    }

    /** @param t the failure's exception, whose stack is logged, or null */
    private static void logError(String what, Throwable t) {
        long suppressed = ERROR_LOG.admit();
        if (suppressed >= 0) {
            LOG.warn("{} {}", what, LogThrottle.tail(suppressed), t);
        }
    }
}
