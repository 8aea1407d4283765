package io.waymark.policy.rules;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where rule queries run: one read transaction, bounded by the rule's timeout, rows as maps of
 * plain Java values. Over the driver (Bolt) by default; an application with Neo4j in its own JVM
 * can run them in process, where a small evaluation is no longer mostly round trips.
 */
public interface RuleGraph {
    List<List<Map<String, Object>>> read(List<String> queries, Map<String, Object> params, Duration timeout);

    static RuleGraph of(Driver driver) {
        return (queries, params, timeout) -> {
            try (Session session = driver.session()) {
                return session.executeRead(tx -> {
                    List<List<Map<String, Object>>> results = new ArrayList<>();
                    for (String q : queries) {
                        results.add(tx.run(q, params).list(Record::asMap));
                    }
                    return results;
                }, TransactionConfig.builder().withTimeout(timeout).build());
            }
        };
    }
}
