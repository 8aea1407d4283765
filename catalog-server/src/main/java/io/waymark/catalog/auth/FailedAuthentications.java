package io.waymark.catalog.auth;

import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refused authentications, per source address: a token bucket that answers 429 once an address
 * has failed too often, and an audit trail that stays small. The first failure of an address in a
 * minute is recorded at once; the ones after it are counted and recorded as one
 * {@code auth.failed.repeated} entry (count, first and last seen, the last path) when the minute
 * ends. Anyone who can reach the port can fail to authenticate, so none of this may grow with them:
 * at most {@link #MAX_SOURCES} addresses are tracked, the rest share one entry.
 */
@Singleton
public class FailedAuthentications {
    static final int MAX_SOURCES = 10_000;
    private static final String OTHERS = "(other addresses)";
    private static final long WINDOW_MS = 60_000;

    /** What to do with one refused request. */
    public record Verdict(boolean throttled, long retryAfterSeconds) {}

    private static final class Source {
        double tokens;
        long refilledAt;
        long windowStart;
        long repeated;
        long throttled;
        String firstSeen;
        String lastSeen;
        String lastPath;
    }

    private final AuditLog audit;
    private final double burst;
    private final double perSecond;
    private final Map<String, Source> sources = new HashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auth-failure-audit");
        t.setDaemon(true);
        return t;
    });

    public FailedAuthentications(AuditLog audit, WaymarkConfig config) {
        this.audit = audit;
        this.burst = Math.max(1, config.getAuthFailureBurst());
        this.perSecond = Math.max(0.01, config.getAuthFailuresPerSecond());
        flusher.scheduleWithFixedDelay(this::flush, 10, 10, TimeUnit.SECONDS);
    }

    /** Counts a refused request from {@code remote} and says whether to answer 429 instead of 401. */
    public Verdict failed(String remote, String what, String reason) {
        long now = System.currentTimeMillis();
        AuditLog.Entry immediate = null;
        Verdict verdict;
        synchronized (sources) {
            String id = remote == null ? "(unknown)" : remote;
            if (!sources.containsKey(id) && sources.size() >= MAX_SOURCES) {
                id = OTHERS;
            }
            Source s = sources.computeIfAbsent(id, k -> {
                Source fresh = new Source();
                fresh.tokens = burst;
                fresh.refilledAt = now;
                return fresh;
            });
            s.tokens = Math.min(burst, s.tokens + (now - s.refilledAt) / 1000.0 * perSecond);
            s.refilledAt = now;
            boolean throttled = s.tokens < 1;
            if (!throttled) {
                s.tokens -= 1;
            }
            verdict = new Verdict(throttled, throttled ? (long) Math.ceil((1 - s.tokens) / perSecond) : 0);
            if (s.firstSeen == null) {
                // The first failure of a window is evidence of its own, recorded now.
                s.windowStart = now;
                s.firstSeen = Instant.ofEpochMilli(now).toString();
                immediate = new AuditLog.Entry("anonymous", null, "auth.failed", what, Map.of("reason", reason), remote);
            } else {
                s.repeated++;
                if (throttled) {
                    s.throttled++;
                }
            }
            s.lastSeen = Instant.ofEpochMilli(now).toString();
            s.lastPath = what;
        }
        if (immediate != null) {
            audit.submit(immediate);
        }
        return verdict;
    }

    /** Records each address's repeated failures of a finished window and forgets addresses at rest. */
    void flush() {
        flush(System.currentTimeMillis(), false);
    }

    /** Records every address's repeated failures now (at shutdown, and for tests that cannot wait a minute). */
    void flushAll() {
        flush(System.currentTimeMillis(), true);
    }

    private void flush(long now, boolean all) {
        Map<String, AuditLog.Entry> entries = new LinkedHashMap<>();
        synchronized (sources) {
            var it = sources.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                Source s = e.getValue();
                if (s.firstSeen != null && (all || now - s.windowStart >= WINDOW_MS)) {
                    if (s.repeated > 0) {
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("count", s.repeated);
                        detail.put("throttled", s.throttled);
                        detail.put("firstSeen", s.firstSeen);
                        detail.put("lastSeen", s.lastSeen);
                        entries.put(e.getKey(), new AuditLog.Entry("anonymous", null, "auth.failed.repeated", s.lastPath, detail,
                                e.getKey().startsWith("(") ? null : e.getKey()));
                    }
                    s.firstSeen = null;
                    s.repeated = 0;
                    s.throttled = 0;
                }
                double tokens = Math.min(burst, s.tokens + (now - s.refilledAt) / 1000.0 * perSecond);
                if (s.firstSeen == null && tokens >= burst) {
                    it.remove();
                }
            }
        }
        entries.values().forEach(audit::submit);
    }

    @PreDestroy
    void close() {
        flusher.shutdownNow();
        flushAll();
    }
}
