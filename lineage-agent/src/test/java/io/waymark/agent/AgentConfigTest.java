package io.waymark.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgentConfigTest {
    @Test
    void optionsWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
        Path file = Files.createTempFile("agent", ".properties");
        Files.writeString(file, "url=http://file:1\nnamespace=from-file\njob=file-job\n");
        AgentConfig c = AgentConfig.from("config=" + file + ",job=opt-job",
                Map.of("WAYMARK_NAMESPACE", "from-env", "WAYMARK_SPOOL_MAX_MB", "5", "WAYMARK_TOKEN", "secret"));
        assertEquals("http://file:1", c.url().toString());
        assertEquals("from-env", c.namespace());
        assertEquals("opt-job", c.get("job"));
        assertEquals(5L * 1024 * 1024, c.spoolMaxBytes());
        assertFalse(c.toString().contains("secret"), "tokens never appear in log lines");
    }

    @Test
    void openLineageParentVariablesGiveTheParentRun() {
        AgentConfig c = AgentConfig.from("url=http://x:1", Map.of("OPENLINEAGE_PARENT_ID", "airflow/dag.task/0190c0a2-5b1e-7f4e-9c3a-2b8f1d0e6a11"));
        assertEquals("airflow", c.get("parentJobNamespace"));
        assertEquals("dag.task", c.get("parentJobName"));
        assertEquals("0190c0a2-5b1e-7f4e-9c3a-2b8f1d0e6a11", c.get("parentRunId"));
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.from("nonsense", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.from("url=ftp://x", Map.of()).url());
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.from("exitTimeoutMs=soon", Map.of()).exitTimeout());
        assertEquals("a.b", Main.dataset("postgres://db:5432:a.b").name());
        assertEquals("postgres://db:5432", Main.dataset("postgres://db:5432:a.b").namespace());
    }
}
