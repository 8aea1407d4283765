package io.waymark.catalog.api;

import io.waymark.catalog.config.WaymarkConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadLimitsTest {
    @Test
    void aReadThatFindsNoTurnInTimeIsRefusedNotQueuedForever() throws Exception {
        WaymarkConfig config = new WaymarkConfig();
        config.setReadConcurrency(1);
        config.setReadTimeout(Duration.ofMillis(200));
        ReadLimits limits = new ReadLimits(config);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = new Thread(() -> limits.run(() -> {
            holding.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        slow.start();
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        ReadLimits.Busy busy = assertThrows(ReadLimits.Busy.class, () -> limits.run(() -> "never"));
        assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
        assertTrue(busy.getMessage().contains("200 ms"), "the limit as set: " + busy.getMessage());
        release.countDown();
        slow.join();
        assertEquals("now", limits.run(() -> "now"), "the turn is free again");
    }

    /**
     * A GET answer is made within one turn ({@link ReadTurn}); the reads it makes meanwhile must not
     * wait for a second turn, or one turn per reader would leave none for the reads inside.
     */
    @Test
    void aReadWithinATurnTakesNoSecondTurn() {
        WaymarkConfig config = new WaymarkConfig();
        config.setReadConcurrency(1);
        config.setReadTimeout(Duration.ofMillis(200));
        ReadLimits limits = new ReadLimits(config);
        assertEquals("inner", limits.run(() -> limits.run(() -> "inner")));
        assertEquals("again", limits.run(() -> "again"), "the one turn is free after the outer read");
    }
}
