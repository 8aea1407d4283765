package io.waymark.catalog.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Per-item outcome of a batch: how many were accepted and which were refused, by position. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchResult(int accepted, List<Rejected> rejected) {
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Rejected(int index, String error, String field) {}
}
