package io.waymark.catalog.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a request body's Content-Encoding (gzip, deflate, identity) within a size limit. The
 * server's own decompression is off (application.yml) because it answered a body that is not
 * what its header says with 500 and inflated without a bound: here that is a 400 naming the
 * encoding, and a body that inflates past the limit is cut off there with 413.
 */
final class BodyDecoder {
    private BodyDecoder() {}

    static byte[] decode(byte[] body, String contentEncoding, int limit) throws InvalidEventException {
        byte[] bytes = body == null ? new byte[0] : body;
        if (contentEncoding != null) {
            assert !reactor.core.scheduler.Schedulers.isInNonBlockingThread() : "a body inflated on an event loop";
            String[] codings = contentEncoding.split(",");
            // Codings are listed in the order they were applied: undo them last to first.
            for (int i = codings.length - 1; i >= 0; i--) {
                bytes = undo(codings[i].strip().toLowerCase(Locale.ROOT), bytes, limit);
            }
        }
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        return bytes;
    }

    private static byte[] undo(String coding, byte[] bytes, int limit) throws InvalidEventException {
        switch (coding) {
            case "", "identity" -> {
                return bytes;
            }
            case "gzip", "x-gzip" -> {
                try {
                    return inflate(new GZIPInputStream(new ByteArrayInputStream(bytes)), limit);
                } catch (IOException e) {
                    throw InvalidEventException.invalid("", "body is not valid gzip (Content-Encoding: " + coding + "): " + e.getMessage());
                }
            }
            case "deflate" -> {
                // RFC 9110's deflate is the zlib format (RFC 1950), checksum included.
                try {
                    return inflate(new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater()), limit);
                } catch (IOException e) {
                    throw InvalidEventException.invalid("", "body is not valid deflate (zlib) data (Content-Encoding: deflate): " + e.getMessage());
                }
            }
            default -> throw new InvalidEventException(415, "unsupported_media_type", "Content-Encoding",
                    "Content-Encoding " + coding + " is not supported; use gzip, deflate or none");
        }
    }

    private static byte[] inflate(InputStream in, int limit) throws IOException, InvalidEventException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(limit);
                }
            }
            return out.toByteArray();
        }
    }

    private static InvalidEventException tooLarge(int limit) {
        return new InvalidEventException(413, "event_too_large", "", "body exceeds the limit of " + limit + " bytes (waymark.max-event-bytes)");
    }
}
