package io.waymark.catalog.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebUiFilterTest {
    @Test
    void onlyPlainRelativeNamesBelowTheRootAreRead() {
        assertTrue(WebUiFilter.safe("index.html"));
        assertTrue(WebUiFilter.safe("assets/index-abc.js"));
        for (String bad : new String[] {"../pom.xml", "assets/../../x.class", "./index.html", "assets//x.js", "/etc/passwd",
                "assets\\x.js", "%2e%2e/x", ""}) {
            assertFalse(WebUiFilter.safe(bad), bad);
        }
    }
}
