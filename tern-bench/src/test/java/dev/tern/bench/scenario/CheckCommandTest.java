package dev.tern.bench.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The regression guard's judgement and its baseline file, without measuring anything. */
class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRatioMayDropUpToTheMarginAndSyncUpToTwiceItsTime() {
        CheckCommand c = new CheckCommand();
        assertThat(c.verdict("direct_ratio", 0.41, 0.50)).isEmpty();
        assertThat(c.verdict("direct_ratio", 0.39, 0.50)).contains("below");
        assertThat(c.verdict("group_ratio", 0.70, 0.60)).isEmpty();
        assertThat(c.verdict("direct_cpu_ratio", 3.95, 3.70)).isEmpty(); // within 10 % of itself
        assertThat(c.verdict("direct_cpu_ratio", 4.10, 3.70)).contains("above");
        assertThat(c.verdict("sync_ms", 79, 40)).isEmpty();
        assertThat(c.verdict("sync_ms", 81, 40)).contains("twice");
        assertThat(c.verdict("group_ratio", Double.NaN, 0.6)).isEqualTo("not measured");
        assertThat(c.verdict("group_ratio", 0.1, Double.NaN)).isEmpty();
    }

    @Test
    void theBaselineIsReadBackAsWritten() throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("direct_ratio", 0.5123);
        figures.put("sync_ms", 41.25);
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, CheckCommand.json(figures));
        assertThat(CheckCommand.read(file)).containsEntry("direct_ratio", 0.5123).containsEntry("sync_ms", 41.25)
                .doesNotContainKey("measured");
    }
}
