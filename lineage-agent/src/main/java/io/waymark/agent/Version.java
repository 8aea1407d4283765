package io.waymark.agent;

import java.io.InputStream;
import java.util.Properties;

/** Versions for the processing_engine facet, from a resource the build fills in. */
final class Version {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = Version.class.getResourceAsStream("/waymark-agent.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (Exception ignored) {
            // Versions are informative only.
        }
    }

    private Version() {}

    static String get() {
        return PROPS.getProperty("version", "dev");
    }

    static String openLineage() {
        return PROPS.getProperty("openlineage", "unknown");
    }
}
