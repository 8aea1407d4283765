package io.waymark.catalog.projection;

/** Told by the projector what each committed batch touched, so derived in-memory views stay true to the graph. */
public interface GraphChangeListener {
    /** After a commit, with what the batch touched (listeners that are not views). */
    default void changed(GraphChange change) {
    }

    /** The graph was replaced wholesale (start-up, rebuild): forget and reload everything. */
    void reset();

    /**
     * For an in-memory view of the graph that reads combine with the graph itself (the lineage
     * index, the node cache): reads what it needs of the batch inside the batch's own transaction,
     * before the commit, and returns what to change in memory; that runs in the same visible switch
     * as the commit ({@link Visibility}), and {@link #changed} is not called. Null (the default):
     * not a view, told by {@link #changed} after the commit.
     */
    default Runnable prepare(org.neo4j.driver.TransactionContext tx, GraphChange change) {
        return null;
    }

    /**
     * Whether this is an in-memory view that every replica keeps (it implements {@link #prepare});
     * the other listeners derive shared state (labels, findings, Ranger's tags) and run on the leader only.
     */
    default boolean view() {
        return false;
    }
}
