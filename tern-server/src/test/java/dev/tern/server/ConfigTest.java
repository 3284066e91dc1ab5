package dev.tern.server;

import dev.tern.gateway.GatewayConfig;
import dev.tern.server.TestCerts.Algorithm;
import dev.tern.server.TestCerts.KeyFormat;
import dev.tern.server.TestCerts.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        assertThat(refusedWithExitCode2("--set", "server.port=-1")).contains("'server.port'").contains("0..65535");
        // TLS files are read before anything starts: a missing certificate stops the process the same way.
        assertThat(refusedWithExitCode2("--set", "tls.cert-file=" + dir.resolve("nope.crt"),
                "--set", "tls.key-file=" + dir.resolve("nope.key"), "--set", "store.path=" + dir.resolve("data")))
                .contains("'tls.cert-file'").contains("no such file").contains("nope.crt");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    private static String refusedWithExitCode2(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.tern.server.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TERN_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("configuration error");
        return out;
    }

    private static GatewayConfig gateway(Map<String, ?> settings) {
        Map<String, String> o = new HashMap<>();
        settings.forEach((k, v) -> o.put(k, v.toString()));
        return ServerConfig.load(null, Map.of(), o).gateway();
    }

    @Test
    void tlsIsOffByDefaultAndItsFilesAreCheckedAtStartNamingTheKey() throws Exception {
        assertThat(ServerConfig.defaults().gateway().tls()).isNull();
        assertThat(ServerConfig.defaults().describe()).contains("tls.cert-file = (none)  (default)");
        Pair good = TestCerts.selfSigned(dir, "good", Algorithm.RSA, KeyFormat.PKCS8);
        Pair other = TestCerts.selfSigned(dir, "other", Algorithm.EC, KeyFormat.PKCS8);
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        Path encrypted = Files.writeString(dir.resolve("encrypted.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", missing, "tls.key-file", good.key())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'tls.cert-file'")
                .hasMessageContaining("no such file").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> gateway(Map.of("tls.key-file", good.key())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'tls.cert-file' is not");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'tls.key-file' is not");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert(), "tls.key-file", missing)))
                .hasMessageContaining("'tls.key-file'").hasMessageContaining("no such file");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", garbage, "tls.key-file", good.key())))
                .hasMessageContaining("'tls.cert-file'").hasMessageContaining("no '-----BEGIN CERTIFICATE-----'");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert(), "tls.key-file", good.cert())))
                .hasMessageContaining("'tls.key-file'").hasMessageContaining("no '-----BEGIN PRIVATE KEY-----'");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert(), "tls.key-file", encrypted)))
                .hasMessageContaining("'tls.key-file'").hasMessageContaining("encrypted");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert(), "tls.key-file", other.key())))
                .hasMessageContaining("'tls.key-file'").hasMessageContaining("does not belong to the first certificate");

        assertThatThrownBy(() -> gateway(Map.of("server.plain-port", 8081)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'server.plain-port'").hasMessageContaining("'tls.cert-file'");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", good.cert(), "tls.key-file", good.key(),
                "server.port", 8443, "server.plain-port", 8443)))
                .hasMessageContaining("'server.plain-port' must differ from 'server.port'");
        assertThatThrownBy(() -> gateway(Map.of("server.plain-port", 70000)))
                .hasMessageContaining("'server.plain-port'").hasMessageContaining("0..65535");
    }

    @Test
    void tlsKeysLoadAsPkcs8Pkcs1OrSec1AndTheChainKeepsItsOrder() throws Exception {
        for (Algorithm a : Algorithm.values()) {
            for (KeyFormat f : KeyFormat.values()) {
                Pair p = TestCerts.selfSigned(dir, a + "-" + f, a, f);
                String pem = Files.readString(p.key());
                assertThat(pem).startsWith(f == KeyFormat.PKCS8 ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN " + a + " PRIVATE KEY-----");
                GatewayConfig g = gateway(Map.of("tls.cert-file", p.cert(), "tls.key-file", p.key(), "server.plain-port", 8081));
                assertThat(g.tls().key().getAlgorithm()).isEqualTo(a.name());
                assertThat(g.plainPort()).isEqualTo(8081);
            }
        }
        // openssl ecparam -genkey writes the curve in a block of its own before the key.
        Pair ec = TestCerts.selfSigned(dir, "ec", Algorithm.EC, KeyFormat.TRADITIONAL);
        Files.writeString(ec.key(), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + Files.readString(ec.key()));
        assertThat(gateway(Map.of("tls.cert-file", ec.cert(), "tls.key-file", ec.key())).tls()).isNotNull();

        // Server certificate first, then intermediates; the other order is refused with a hint.
        Pair leaf = TestCerts.selfSigned(dir, "leaf", Algorithm.EC, KeyFormat.PKCS8);
        Path chain = Files.writeString(dir.resolve("chain.pem"), Files.readString(leaf.cert()) + Files.readString(ec.cert()));
        Path reversed = Files.writeString(dir.resolve("reversed.pem"), Files.readString(ec.cert()) + Files.readString(leaf.cert()));
        assertThat(gateway(Map.of("tls.cert-file", chain, "tls.key-file", leaf.key())).tls().chain())
                .extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=leaf", "CN=ec");
        assertThatThrownBy(() -> gateway(Map.of("tls.cert-file", reversed, "tls.key-file", leaf.key())))
                .hasMessageContaining("'tls.key-file'").hasMessageContaining("must start with the server's own certificate");
    }
}
