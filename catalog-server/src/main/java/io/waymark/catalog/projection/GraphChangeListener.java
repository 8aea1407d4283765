package io.waymark.catalog.projection;

/** Told by the projector what each committed batch touched, so derived in-memory views stay true to the graph. */
public interface GraphChangeListener {
    /** After a commit, with what the batch touched. */
    void changed(GraphChange change);

    /** The graph was replaced wholesale (start-up, rebuild): forget and reload everything. */
    void reset();
}
