package dev.tern.server;

import dev.tern.core.CoreConfig;
import dev.tern.core.admission.AdmissionConfig;
import dev.tern.core.limits.LimitsConfig;
import dev.tern.core.limits.Rate;
import dev.tern.gateway.GatewayConfig;
import dev.tern.gateway.http.AdminConfig;
import dev.tern.gateway.tls.Pem;
import dev.tern.gateway.tls.TlsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The effective configuration: defaults, then the file, then TERN_* environment variables, then
 * explicit overrides (command line, tests). Every value is parsed and range-checked here; the
 * component records check their own invariants again.
 */
public final class ServerConfig {
    /** Environment variables read by the start scripts, not by the server. */
    private static final Set<String> SCRIPT_ENV = Set.of("TERN_CONFIG", "TERN_JAVA_OPTS", "TERN_JAVA_HOME", "TERN_LOG_LEVEL", "TERN_LOG_FORMAT");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    private ServerConfig() {
        for (Settings.Key k : Settings.KEYS) {
            values.put(k.name(), Settings.parse(k, k.defaultValue(), "default"));
            sources.put(k.name(), "default");
        }
    }

    /** Loads with the given file (may be null), environment and overrides. */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ServerConfig c = new ServerConfig();
        if (file != null) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
            for (String name : props.stringPropertyNames()) {
                c.set(name, props.getProperty(name), file.toString());
            }
        }
        Map<String, Settings.Key> byEnv = new LinkedHashMap<>();
        Settings.KEYS.forEach(k -> byEnv.put(k.envName(), k));
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("TERN_") || SCRIPT_ENV.contains(e.getKey())) {
                continue;
            }
            Settings.Key k = byEnv.get(e.getKey());
            if (k == null) {
                throw new ConfigException("unknown environment variable " + e.getKey() + "; known: "
                        + String.join(", ", byEnv.keySet()));
            }
            c.set(k.name(), e.getValue(), "environment " + e.getKey());
        }
        overrides.forEach((name, value) -> c.set(name, value, "override"));
        return c;
    }

    public static ServerConfig defaults() {
        return new ServerConfig();
    }

    private void set(String name, String raw, String source) {
        Settings.Key k = Settings.key(name);
        values.put(name, Settings.parse(k, raw, source));
        sources.put(name, source);
    }

    String string(String name) {
        return (String) values.get(Settings.key(name).name());
    }

    int integer(String name) {
        return Math.toIntExact((Long) values.get(Settings.key(name).name()));
    }

    long size(String name) {
        return (Long) values.get(Settings.key(name).name());
    }

    Duration duration(String name) {
        return (Duration) values.get(Settings.key(name).name());
    }

    public Path storePath() {
        return Path.of(string("store.path"));
    }

    /** Where the message index lives: {@code search.path}, or "search" inside the store's directory. */
    public Path searchPath() {
        String p = string("search.path");
        return p.isEmpty() ? storePath().resolve("search") : Path.of(p);
    }

    public Path mediaPath() {
        String p = string("media.path");
        return p.isEmpty() ? storePath().resolve("media") : Path.of(p);
    }

    /** The media settings; the staging directory is "uploads" inside media.path. */
    public dev.tern.core.media.MediaConfig media() {
        String key = string("media.signing-key");
        byte[] secret;
        if (key.isEmpty()) {
            secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
        } else if (key.length() < 32) {
            throw new ConfigException("'media.signing-key' must be at least 32 characters (or empty for a random key)");
        } else {
            secret = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.List<String> types = java.util.Arrays.stream(string("media.allowed-types").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new dev.tern.core.media.MediaConfig(mediaPath().resolve("uploads"), size("media.max-upload"),
                size("media.quota"), duration("media.upload-ttl"), duration("media.grace"), duration("media.link-ttl"),
                types, secret, (dev.tern.core.limits.Rate) values.get(Settings.key("media.upload-rate").name()));
    }

    /** The S3 settings (media.store = s3), checked here so a mistake names its key. */
    public dev.tern.blob.s3.S3Config s3() {
        try {
            return new dev.tern.blob.s3.S3Config(java.net.URI.create(string("media.s3.endpoint")),
                    string("media.s3.region"), string("media.s3.bucket"), string("media.s3.prefix"),
                    string("media.s3.access-key"), string("media.s3.secret-key"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("media.s3.*: " + e.getMessage());
        }
    }

    public Duration mediaSweepInterval() {
        return duration("media.sweep-interval");
    }

    public Duration searchCommitInterval() {
        return duration("search.commit-interval");
    }

    /** The gateway's configuration; reads and checks the TLS files when TLS is configured. */
    public GatewayConfig gateway() {
        TlsConfig tls = tls();
        int plainPort = integer("server.plain-port");
        if (plainPort != 0 && tls == null) {
            throw new ConfigException("'server.plain-port' (" + plainPort + ") is for a TLS-terminating load balancer "
                    + "next to TLS on 'server.port': set 'tls.cert-file' and 'tls.key-file', or leave it at 0");
        }
        if (plainPort != 0 && plainPort == integer("server.port")) {
            throw new ConfigException("'server.plain-port' must differ from 'server.port' (both " + plainPort + ")");
        }
        return new GatewayConfig(string("server.host"), integer("server.port"), (int) size("limits.max-frame"),
                duration("timeouts.auth"), duration("timeouts.idle"), (int) size("limits.max-outbound"),
                integer("limits.max-inflight"), integer("server.io-threads"), integer("limits.connections-per-address"), tls, plainPort);
    }

    private TlsConfig tls() {
        String cert = string("tls.cert-file");
        String key = string("tls.key-file");
        if (cert.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            String missing = cert.isEmpty() ? "tls.cert-file" : "tls.key-file";
            String set = cert.isEmpty() ? "tls.key-file" : "tls.cert-file";
            throw new ConfigException("'" + set + "' is set but '" + missing + "' is not; TLS needs both");
        }
        List<X509Certificate> chain = readPem("tls.cert-file", Pem::certificates);
        PrivateKey privateKey = readPem("tls.key-file", Pem::privateKey);
        try {
            return new TlsConfig(chain, privateKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'tls.key-file' (" + key + ") does not fit 'tls.cert-file' (" + cert + "): "
                    + e.getMessage());
        }
    }

    private interface PemReader<T> {
        T read(Path file) throws IOException, GeneralSecurityException;
    }

    private <T> T readPem(String name, PemReader<T> reader) {
        Path file = Path.of(string(name));
        String where = "'" + name + "' (from " + sources.get(name) + "): ";
        try {
            return reader.read(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(where + "no such file " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigException(where + "cannot read " + file.toAbsolutePath() + " (" + e + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(where + e.getMessage());
        }
    }

    public CoreConfig core() {
        if (size("limits.max-body") > size("limits.max-frame")) {
            throw new ConfigException("'limits.max-body' (" + size("limits.max-body")
                    + ") must not exceed 'limits.max-frame' (" + size("limits.max-frame") + ")");
        }
        return new CoreConfig(integer("limits.max-group-members"), (int) size("limits.max-body"),
                duration("auth.ticket-ttl"), integer("sequence.step"), integer("commit.max-batch-mutations"),
                integer("auth.argon2-memory-kib"), integer("auth.argon2-iterations"), duration("typing.interval"),
                duration("messages.edit-window"), duration("messages.recall-window"),
                integer("groups.broadcast-threshold"), integer("limits.max-channel-members"),
                duration("dedup.window"));
    }

    public AdminConfig admin() {
        try {
            return new AdminConfig(string("admin.token"), Path.of(string("backup.path")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'admin.token': " + e.getMessage());
        }
    }

    public LimitsConfig limits() {
        return new LimitsConfig(rate("limits.send-rate-device"), rate("limits.send-rate-user"),
                rate("limits.login-failures-per-username"), rate("limits.login-attempts-per-address"),
                rate("limits.registrations-per-address"), rate("limits.groups-per-user"));
    }

    private Rate rate(String name) {
        return (Rate) values.get(Settings.key(name).name());
    }

    public AdmissionConfig admission() {
        try {
            return new AdmissionConfig(duration("overload.low-backlog"), duration("overload.normal-backlog"),
                    duration("overload.high-backlog"), duration("overload.request-deadline"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'overload.low-backlog' <= 'overload.normal-backlog' <= 'overload.high-backlog' "
                    + "must hold: " + e.getMessage());
        }
    }

    /** One line per key with its effective value and where it came from; keys are files, never shown. */
    public String describe() {
        StringJoiner j = new StringJoiner("\n");
        for (Settings.Key k : Settings.KEYS) {
            Object v = values.get(k.name());
            String shown = k.secret() ? (String.valueOf(v).isEmpty() ? "(not set)" : "(set, not shown)")
                    : v instanceof Duration d ? d.toMillis() + "ms"
                    : v instanceof Rate r ? r.permits() + "/" + r.period().toMillis() + "ms"
                    : "".equals(v) ? "(none)" : String.valueOf(v);
            j.add("  " + k.name() + " = " + shown + "  (" + sources.get(k.name()) + ")");
        }
        return j.toString();
    }
}
