package io.wayfinder.api;

import io.wayfinder.control.ProfileWrites;
import java.util.List;
import java.util.Map;

/**
 * A request answered with an error: its HTTP status, a message, and for invalid input every
 * error with its field path. Rendered as the API's one error body (see {@link ApiServer}).
 *
 * @param headers headers the answer needs ({@code Allow} with 405, {@code WWW-Authenticate} with 401)
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final List<ProfileWrites.FieldError> errors;
    private final Map<String, String> headers;

    ApiException(int status, String message, List<ProfileWrites.FieldError> errors, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    ApiException(int status, String message) {
        this(status, message, List.of(), Map.of());
    }

    static ApiException badRequest(String message, List<ProfileWrites.FieldError> errors) {
        return new ApiException(400, message, errors, Map.of());
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    int status() {
        return status;
    }

    List<ProfileWrites.FieldError> errors() {
        return errors;
    }

    Map<String, String> headers() {
        return headers;
    }
}
