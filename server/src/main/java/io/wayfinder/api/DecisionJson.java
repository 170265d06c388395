package io.wayfinder.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of a routing decision, one mapping for both ends: {@code GET /api/v1/explain} and
 * {@code explain --json} write it, and {@code explain --server} reads the API's answer back into a
 * {@link io.wayfinder.routing.Decision} to print it as a local one.
 */
public final class DecisionJson {
    /**
     * Enums by their labels ("measured", as the text says), and no null fields (samples the table does
     * not count). Reading ignores fields it does not know, so an older client reads a newer server.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
            .enable(EnumFeature.READ_ENUMS_USING_TO_STRING)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    private DecisionJson() {
    }
}
