package io.waymark.catalog.projection;

import java.util.Set;

/** Told by the projector what each committed batch touched, so derived in-memory views stay true to the graph. */
public interface GraphChangeListener {
    /** After a commit: jobs whose current edges may have changed, and jobs and datasets whose properties may have. */
    void changed(Set<String> jobs, Set<String> nodes);

    /** The graph was replaced wholesale (start-up, rebuild): forget and reload everything. */
    void reset();
}
