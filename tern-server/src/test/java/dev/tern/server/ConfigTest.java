package dev.tern.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void theExampleFileListsEveryKeyWithItsDefault() throws IOException {
        Properties example = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("../tern.properties.example"))) {
            example.load(r);
        }
        assertThat(example.stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(Settings.KEYS.stream().map(Settings.Key::name).toList());
        for (Settings.Key k : Settings.KEYS) {
            assertThat(example.getProperty(k.name())).as(k.name()).isEqualTo(k.defaultValue());
        }
        // And the example as a whole is a valid configuration.
        ServerConfig c = ServerConfig.load(Path.of("../tern.properties.example"), Map.of(), Map.of());
        assertThat(c.gateway().port()).isEqualTo(8080);
        assertThat(c.core().maxBodyBytes()).isEqualTo(65536);
    }

    @Test
    void fileThenEnvironmentThenOverridesWin() throws IOException {
        Path f = dir.resolve("t.properties");
        Files.writeString(f, "server.port = 9000\nlimits.max-body = 1KiB\ntimeouts.idle = 2m\n");
        ServerConfig c = ServerConfig.load(f, Map.of("TERN_SERVER_PORT", "9100", "HOME", "/root"),
                Map.of("limits.max-body", "2KiB"));
        assertThat(c.gateway().port()).isEqualTo(9100);
        assertThat(c.core().maxBodyBytes()).isEqualTo(2048);
        assertThat(c.gateway().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.describe()).contains("server.port = 9100  (environment TERN_SERVER_PORT)")
                .contains("limits.max-body = 2048  (override)");
    }

    @Test
    void ratesParseAsPermitsPerPeriodAndZeroMeansNoLimit() {
        ServerConfig c = ServerConfig.load(null, Map.of("TERN_LIMITS_LOGIN_FAILURES_PER_USERNAME", "5/15m"),
                Map.of("limits.send-rate-device", "0/1s", "limits.groups-per-user", "3 / 2h"));
        assertThat(c.limits().loginFailuresPerUsername())
                .isEqualTo(new dev.tern.core.limits.Rate(5, Duration.ofMinutes(15)));
        assertThat(c.limits().sendPerDevice().unlimited()).isTrue();
        assertThat(c.limits().groupsPerUser()).isEqualTo(new dev.tern.core.limits.Rate(3, Duration.ofHours(2)));
        assertThat(ServerConfig.defaults().limits()).isEqualTo(dev.tern.core.limits.LimitsConfig.DEFAULTS);
        assertThat(ServerConfig.defaults().gateway().maxConnectionsPerAddress()).isEqualTo(1000);
    }

    @Test
    void theAdminTokenIsNeverShownAndMustBeLongEnough() {
        ServerConfig c = ServerConfig.load(null, Map.of("TERN_ADMIN_TOKEN", "a-very-secret-admin-token"), Map.of());
        assertThat(c.admin().enabled()).isTrue();
        assertThat(c.describe()).contains("admin.token = (set, not shown)").doesNotContain("a-very-secret-admin-token");
        assertThat(c.admin().toString()).doesNotContain("a-very-secret-admin-token");
        assertThat(ServerConfig.defaults().describe()).contains("admin.token = (not set)");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("admin.token", "short")).admin())
                .hasMessageContaining("'admin.token'").hasMessageContaining("16");
    }

    @Test
    void errorsNameTheKeyAndWhatIsAllowed() throws IOException {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "server.prot = 80\n");
        assertThatThrownBy(() -> ServerConfig.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'server.prot'").hasMessageContaining("server.port");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("server.port", "eighty")))
                .hasMessageContaining("'server.port'").hasMessageContaining("not an integer").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("server.port", "70000")))
                .hasMessageContaining("out of range").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("limits.max-frame", "lots")))
                .hasMessageContaining("'limits.max-frame'").hasMessageContaining("KiB");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("timeouts.idle", "90")))
                .hasMessageContaining("'timeouts.idle'").hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("TERN_SERVER_PROT", "1"), Map.of()))
                .hasMessageContaining("TERN_SERVER_PROT").hasMessageContaining("TERN_SERVER_PORT");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("limits.send-rate-device", "20")))
                .hasMessageContaining("'limits.send-rate-device'").hasMessageContaining("not a rate").hasMessageContaining("20/1s");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("limits.groups-per-user", "5/0s")))
                .hasMessageContaining("'limits.groups-per-user'").hasMessageContaining("not a rate");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("limits.max-body", "1MiB")).core())
                .hasMessageContaining("'limits.max-body'").hasMessageContaining("'limits.max-frame'");
    }

    @Test
    void theServerProcessRefusesABadConfigurationWithExitCode2() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.tern.server.Main",
                "--set", "server.port=-1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("configuration error").contains("'server.port'").contains("0..65535");
    }
}
