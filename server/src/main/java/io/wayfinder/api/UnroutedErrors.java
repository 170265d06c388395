package io.wayfinder.api;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error pages Jetty writes itself, for requests that never reach a route: one it cannot parse
 * (400), a URI or header too large (414, 431). Counted and logged by {@link ApiErrors} like the
 * API's own answers (route {@value ApiErrors#NO_ROUTE}), then written as Jetty writes them.
 */
final class UnroutedErrors extends ErrorHandler {
    private final ApiErrors errors;

    UnroutedErrors(ApiErrors errors) {
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        errors.answered(status, ApiErrors.NO_ROUTE, "a request Jetty refused", Request.getRemoteAddr(request),
                message == null ? null : message.toString());
        return super.handle(request, response, callback);
    }
}
