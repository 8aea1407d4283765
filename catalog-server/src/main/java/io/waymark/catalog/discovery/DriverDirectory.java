package io.waymark.catalog.discovery;

import io.micronaut.context.annotation.Value;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * JDBC drivers beyond the ones Waymark ships (PostgreSQL, MySQL/MariaDB, SQLite): every jar in
 * the drivers directory ({@code waymark.drivers-dir}, environment {@code WAYMARK_DRIVERS_DIR},
 * default {@code <data-dir>/drivers}) is read for the drivers it registers as a service. Jars
 * added while the server runs are picked up on the next connection (the listing is compared on
 * each use). The shipped drivers answer first; a directory driver only for URLs none of them takes.
 */
@Singleton
public class DriverDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DriverDirectory.class);

    private final Path directory;
    private List<Path> loadedJars = List.of();
    private List<Driver> drivers = List.of();

    public DriverDirectory(WaymarkConfig config, @Value("${waymark.drivers-dir:}") String driversDir) {
        this.directory = driversDir == null || driversDir.isBlank() ? config.dataPath().resolve("drivers")
                : Path.of(driversDir).toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** A connection through a shipped driver, else through the first directory driver that accepts the URL. */
    Connection connect(String url, Properties props) throws SQLException {
        try {
            DriverManager.getDriver(url);
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            if (!"08001".equals(e.getSQLState()) || !String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
                throw e;
            }
        }
        for (Driver d : drivers()) {
            if (d.acceptsURL(url)) {
                Connection c = d.connect(url, props);
                if (c != null) {
                    return c;
                }
            }
        }
        throw new SQLException("No suitable driver found for " + url + " (none shipped, none in " + directory + ")", "08001");
    }

    private synchronized List<Driver> drivers() {
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            jars = List.of();
        }
        if (!jars.equals(loadedJars)) {
            drivers = load(jars);
            loadedJars = jars;
        }
        return drivers;
    }

    /** One class loader per jar, so two drivers' own dependencies never meet. */
    private static List<Driver> load(List<Path> jars) {
        List<Driver> found = new ArrayList<>();
        for (Path jar : jars) {
            try {
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, DriverDirectory.class.getClassLoader());
                for (Driver d : ServiceLoader.load(Driver.class, loader)) {
                    // The service loader also sees the parent's drivers: keep only this jar's.
                    if (d.getClass().getClassLoader() == loader) {
                        found.add(d);
                        LOG.info("JDBC driver {} {}.{} loaded from {}", d.getClass().getName(), d.getMajorVersion(), d.getMinorVersion(), jar);
                    }
                }
            } catch (MalformedURLException | ServiceConfigurationError | LinkageError e) {
                LOG.warn("no JDBC driver loaded from {}: {}", jar, e.toString());
            }
        }
        return List.copyOf(found);
    }
}
