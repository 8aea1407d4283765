package io.waymark.agent;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, from (later wins) a properties file ({@code config=FILE} or
 * {@code WAYMARK_CONFIG}), {@code WAYMARK_*} environment variables, and the agent's own option
 * string {@code key=value,key=value}. Keys: url, namespace, job, token, spool, spoolMaxMb,
 * exitTimeoutMs (how long the host's exit may wait for Waymark, 2000), timeoutMs (one request,
 * on the agent's own thread, 10000), runningIntervalMs, parentRunId, parentJobNamespace,
 * parentJobName, disabled.
 */
public final class AgentConfig {
    private final Map<String, String> values;

    private AgentConfig(Map<String, String> values) {
        this.values = values;
    }

    public static AgentConfig from(String agentArgs, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> options = parseOptions(agentArgs);
        String file = options.getOrDefault("config", env.get("WAYMARK_CONFIG"));
        if (file != null && !file.isBlank()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the agent configuration " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        }
        env.forEach((k, v) -> {
            if (k.startsWith("WAYMARK_") && !k.equals("WAYMARK_CONFIG")) {
                values.put(camel(k.substring("WAYMARK_".length())), v);
            }
        });
        // OpenLineage's own variables for a parent run (as Airflow's and dbt's integrations pass them on).
        copy(env, "OPENLINEAGE_PARENT_ID", values, "parentId");
        copy(env, "OPENLINEAGE_PARENT_RUN_ID", values, "parentRunId");
        copy(env, "OPENLINEAGE_PARENT_JOB_NAMESPACE", values, "parentJobNamespace");
        copy(env, "OPENLINEAGE_PARENT_JOB_NAME", values, "parentJobName");
        options.remove("config");
        values.putAll(options);
        splitParentId(values);
        return new AgentConfig(values);
    }

    public static AgentConfig of(Map<String, String> values) {
        return new AgentConfig(new LinkedHashMap<>(values));
    }

    static Map<String, String> parseOptions(String args) {
        Map<String, String> options = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return options;
        }
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("agent option '" + part + "' is not key=value");
            }
            options.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return options;
    }

    /** SPOOL_MAX_MB -> spoolMaxMb */
    static String camel(String envKey) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : envKey.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private static void copy(Map<String, String> env, String from, Map<String, String> values, String to) {
        if (env.get(from) != null && !env.get(from).isBlank()) {
            values.put(to, env.get(from));
        }
    }

    /** OPENLINEAGE_PARENT_ID is "namespace/name/runId". */
    private static void splitParentId(Map<String, String> values) {
        String id = values.remove("parentId");
        if (id == null) {
            return;
        }
        String[] parts = id.split("/");
        if (parts.length >= 3) {
            values.putIfAbsent("parentJobNamespace", parts[0]);
            values.putIfAbsent("parentJobName", String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1)));
            values.putIfAbsent("parentRunId", parts[parts.length - 1]);
        }
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    public long getLong(String key, long fallback) {
        String v = get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    public boolean disabled() {
        return Boolean.parseBoolean(get("disabled", "false"));
    }

    public URI url() {
        String url = get("url");
        if (url == null) {
            throw new IllegalArgumentException("no Waymark url: pass url=http://host:port or set WAYMARK_URL");
        }
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the Waymark url must be http or https, got '" + url + "'");
        }
        return uri;
    }

    public String namespace() {
        return get("namespace", "default");
    }

    public Path spool() {
        String dir = get("spool");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "waymark-spool");
    }

    public long spoolMaxBytes() {
        return getLong("spoolMaxMb", 100) * 1024 * 1024;
    }

    public Duration exitTimeout() {
        return Duration.ofMillis(getLong("exitTimeoutMs", 2000));
    }

    public Duration runningInterval() {
        return Duration.ofMillis(getLong("runningIntervalMs", 30_000));
    }

    /** The settings without secrets, for log lines. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        shown.computeIfPresent("token", (k, v) -> "***");
        return shown.toString();
    }
}
