package io.waymark.catalog.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.core.io.Writable;
import io.waymark.catalog.ingest.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.concurrent.Semaphore;

/**
 * A JSON answer that writes itself into the response buffer through one generator: no String of
 * the whole body and no second copy of it. Large answers (lineage graphs, capped job and dataset
 * pages) were built as a tree, written as a String and encoded again, three times their size in
 * garbage per request; this is the streaming step of issue 19.
 */
public final class JsonBody implements Writable {
    /** What the body writes: one JSON value. */
    @FunctionalInterface
    public interface Content {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Answers written at once, one per core: 96 viewers of a huge job otherwise write 96 answers
     * side by side on two cores, and {@code /health}'s thread waits behind them for the CPU.
     * Waiting writers hold nothing else (their graph read's turn is over).
     */
    private static final Semaphore WRITERS = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    private final Content content;
    /** The answer already written (see {@link #of}), or null for one that writes itself when sent. */
    private final byte[] bytes;

    public JsonBody(Content content) {
        this.content = content;
        this.bytes = null;
    }

    private JsonBody(byte[] bytes) {
        this.content = null;
        this.bytes = bytes;
    }

    /**
     * A tree written to bytes now: a tree is several times the size of its JSON, and what waits to
     * be sent should be the smaller of the two (see {@link ReadTurn}).
     */
    public static JsonBody of(com.fasterxml.jackson.databind.JsonNode tree) {
        try {
            return new JsonBody(Json.STRICT.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This answer written to bytes now, to be sent more than once (see {@link ReadTurn}). */
    public JsonBody written() {
        if (bytes != null) {
            return this;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new JsonBody(out.toByteArray());
    }

    /** The body as a tree, for callers that compare answers (tests, the index-versus-Cypher check). */
    public com.fasterxml.jackson.databind.JsonNode toTree() throws IOException {
        return Json.STRICT.readTree(written().bytes);
    }

    @Override
    public void writeTo(OutputStream out, Charset charset) throws IOException {
        if (bytes != null) {
            out.write(bytes);
            return;
        }
        // JSON is UTF-8 (RFC 8259); the API's content type says so whatever charset was asked.
        WRITERS.acquireUninterruptibly();
        try (JsonGenerator json = Json.STRICT.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            content.write(json);
        } finally {
            WRITERS.release();
        }
    }

    @Override
    public void writeTo(Writer out) throws IOException {
        if (bytes != null) {
            out.write(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        try (JsonGenerator json = Json.STRICT.getFactory().createGenerator(out)) {
            content.write(json);
        }
    }
}
