package io.waymark.catalog.journal;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Applies the numbered migration files of one SQL dialect, each once, in order. */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    /**
     * Applies what is missing. The files are SQLite's ({@code db/migration/sqlite/}, listed in its
     * index.txt); another dialect has a file of its own only where its SQL must differ. Each file
     * runs in a transaction that begins with {@code lock}, so replicas starting together on one
     * PostgreSQL apply each migration once.
     */
    static void apply(Jdbi jdbi, String dialect, Consumer<Handle> lock) {
        String base = "db/migration/sqlite/";
        List<String> files = read(base + "index.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        jdbi.useTransaction(h -> {
            lock.accept(h);
            h.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        });
        for (String file : files) {
            int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
            jdbi.useTransaction(h -> {
                lock.accept(h);
                boolean applied = h.createQuery("SELECT count(*) FROM schema_version WHERE version = :v")
                        .bind("v", version).mapTo(Integer.class).one() > 0;
                if (applied) {
                    return;
                }
                String own = "db/migration/" + dialect + "/" + file;
                String script = Migrations.class.getClassLoader().getResource(own) != null ? read(own) : read(base + file);
                for (String statement : statements(script)) {
                    h.execute(statement);
                }
                h.createUpdate("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :at)")
                        .bind("v", version).bind("n", file).bind("at", Instant.now().toString()).execute();
                LOG.info("journal migration {} applied", file);
            });
        }
    }

    /**
     * The statements of a migration file: each ends with a semicolon at the end of a line, except
     * inside SQLite's CREATE TRIGGER, whose body holds semicolons of its own and ends with END;, and
     * inside a PostgreSQL dollar-quoted function body ($$ … $$) (Jdbi's script splitter cuts both apart).
     */
    static List<String> statements(String script) {
        List<String> statements = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--") && (line.split("\\$\\$", -1).length - 1) % 2 == 1) {
                quoted = !quoted;
            }
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            current.append(line).append('\n');
            String upper = current.toString().stripLeading().toUpperCase(java.util.Locale.ROOT);
            // SQLite's trigger has a BEGIN … END; body; PostgreSQL's names a function and ends at its semicolon.
            boolean trigger = upper.startsWith("CREATE TRIGGER") && upper.matches("(?s).*\\bBEGIN\\b.*");
            if (!quoted && !trimmed.startsWith("--") && trimmed.endsWith(";") && (!trigger || trimmed.toUpperCase(java.util.Locale.ROOT).endsWith("END;"))) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
