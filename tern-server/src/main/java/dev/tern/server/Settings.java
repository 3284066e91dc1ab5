package dev.tern.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema of the configuration file: every key, its type, default, allowed range and meaning.
 * tern.properties.example is checked against this table by a test.
 */
public final class Settings {

    /** Value types a key may have. FILE is a path that may be left empty (the feature is off). */
    public enum Type { STRING, INT, SIZE, DURATION, RATE, FILE }

    /**
     * One configuration key. Ranges apply to INT (the number), SIZE (bytes), DURATION (millis) and
     * RATE (the permits of "permits/period", e.g. 20/1s or 10/15m; 0 permits = no limit).
     */
    public record Key(String name, Type type, String defaultValue, long min, long max, String description) {
        /** Secrets are never printed (the effective configuration is logged at start). */
        public boolean secret() {
            return name.endsWith(".token") || name.endsWith("-key");
        }

        /** The environment variable that overrides this key: TERN_ + upper case, '.' and '-' as '_'. */
        public String envName() {
            return "TERN_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final List<Key> KEYS = List.of(
            new Key("server.host", Type.STRING, "127.0.0.1", 0, 0, "Address to listen on; 0.0.0.0 for all interfaces."),
            new Key("server.port", Type.INT, "8080", 0, 65535, "Port for WebSocket (/ws) and HTTP, with TLS when tls.cert-file is set; 0 picks a free port."),
            new Key("server.plain-port", Type.INT, "0", 0, 65535, "With TLS: a second port serving the same WebSocket and HTTP without TLS, for a load balancer that terminates TLS; 0 means none."),
            new Key("server.io-threads", Type.INT, "0", 0, 1024, "Netty event-loop threads; 0 means one per core."),
            new Key("tls.cert-file", Type.FILE, "", 0, 0, "PEM certificate chain, the server's certificate first; with tls.key-file, server.port serves wss:// and https://. Empty: no TLS."),
            new Key("tls.key-file", Type.FILE, "", 0, 0, "PEM private key of that certificate, unencrypted: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)."),
            new Key("store.path", Type.STRING, "./data", 0, 0, "Directory of the embedded RocksDB store."),
            new Key("backup.path", Type.STRING, "./backups", 0, 0, "Directory under which POST /admin/backup writes online backups, one subdirectory each."),
            new Key("search.path", Type.STRING, "", 0, 0, "Directory of the full-text message index (Lucene); empty means 'search' inside store.path. Derived data: deleting it makes the server rebuild it from the store at start."),
            new Key("search.commit-interval", Type.DURATION, "5s", 10, 3_600_000, "How often the message index is committed to disk; what a crash loses of it is re-indexed from the store at start."),
            new Key("media.path", Type.STRING, "", 0, 0, "Directory of uploaded files (blobs named by SHA-256) and uploads in progress; empty means 'media' inside store.path."),
            new Key("media.store", Type.STRING, "fs", 0, 0, "Where finished files go: 'fs' (blobs under media.path) or 's3' (an S3-compatible bucket, media.s3.*)."),
            new Key("media.s3.endpoint", Type.STRING, "", 0, 0, "S3 service URL, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000 (MinIO); path-style requests."),
            new Key("media.s3.region", Type.STRING, "us-east-1", 0, 0, "S3 signing region."),
            new Key("media.s3.bucket", Type.STRING, "", 0, 0, "An existing bucket (checked at start)."),
            new Key("media.s3.prefix", Type.STRING, "tern/blobs/", 0, 0, "Prepended to every object name, so a bucket can be shared."),
            new Key("media.s3.access-key", Type.STRING, "", 0, 0, "S3 access key id. Never logged."),
            new Key("media.s3.secret-key", Type.STRING, "", 0, 0, "S3 secret access key. Never logged."),
            new Key("media.max-upload", Type.SIZE, "2GiB", 1, 1L << 40, "Largest file one upload may carry (413 above it)."),
            new Key("media.quota", Type.SIZE, "10GiB", 0, 1L << 50, "Bytes of media one user may keep; 0 turns the quota off (413 above it)."),
            new Key("media.upload-rate", Type.RATE, "100/1h", 0, 1_000_000_000, "Uploads one user may start (429 with Retry-After above it)."),
            new Key("media.upload-ttl", Type.DURATION, "24h", 1000, 30L * 86_400_000, "How long an unfinished upload may sit before it expires and its bytes go."),
            new Key("media.grace", Type.DURATION, "24h", 0, 365L * 86_400_000, "How long media never sent in a message, and files no media names, are kept before they are collected."),
            new Key("media.link-ttl", Type.DURATION, "10m", 1000, 7L * 86_400_000, "Lifetime of a signed download link (POST /media/{id}/link)."),
            new Key("media.sweep-interval", Type.DURATION, "10m", 10, 86_400_000, "How often expired uploads and unused media and files are collected."),
            new Key("media.allowed-types", Type.STRING, "image/*,video/*,audio/*,application/pdf,application/zip,text/plain,application/octet-stream", 0, 0, "MIME types accepted for upload, comma-separated, exact or 'family/*' (415 otherwise)."),
            new Key("media.signing-key", Type.STRING, "", 0, 0, "Secret (at least 32 characters) that signs download links; empty: a random key per start, so links die with a restart. A secret: never logged."),
            new Key("admin.token", Type.STRING, "", 0, 0, "Bearer token for the /admin endpoints (at least 16 characters); empty turns them off. A secret: never logged."),
            new Key("store.block-cache", Type.SIZE, "64MiB", 1 << 20, 1L << 40, "RocksDB block cache."),
            new Key("store.write-buffer", Type.SIZE, "32MiB", 1 << 20, 1L << 32, "RocksDB memtable size per column family."),
            new Key("limits.max-frame", Type.SIZE, "128KiB", 1024, 64 << 20, "Largest WebSocket message accepted."),
            new Key("limits.max-body", Type.SIZE, "64KiB", 1, 16 << 20, "Largest message body."),
            new Key("limits.max-group-members", Type.INT, "100000", 2, 100_000, "Members a group may have."),
            new Key("limits.max-channel-members", Type.INT, "1000000", 2, 100_000_000, "Subscribers a channel may have."),
            new Key("groups.broadcast-threshold", Type.INT, "500", 2, 100_000, "A group with more members than this is delivered by fan-out on read (one record per message, pushes to online members, news in sync) instead of an update-log entry per member."),
            new Key("limits.max-inflight", Type.INT, "256", 1, 65536, "Requests queued per connection before reading pauses."),
            new Key("limits.max-outbound", Type.SIZE, "4MiB", 64 * 1024, 1L << 30, "Bytes queued to a connection before it is closed as a slow reader."),
            new Key("timeouts.auth", Type.DURATION, "10s", 100, 3_600_000, "Time a new connection has to log in or resume."),
            new Key("timeouts.idle", Type.DURATION, "90s", 1000, 86_400_000, "A connection silent this long is closed; clients ping more often."),
            new Key("auth.ticket-ttl", Type.DURATION, "30d", 60_000, 3_650L * 86_400_000, "Lifetime of a login ticket."),
            new Key("auth.argon2-memory-kib", Type.INT, "19456", 8, 4 << 20, "Argon2id memory cost in KiB."),
            new Key("auth.argon2-iterations", Type.INT, "2", 1, 100, "Argon2id iterations."),
            new Key("dedup.window", Type.DURATION, "30d", 60_000, 3_650L * 86_400_000, "How long a retried send or group/channel creation (same device, same client id) is recognised and answered with its first outcome; older dedup records are swept. At least auth.ticket-ttl: a device retries for as long as its ticket lets it resume."),
            new Key("sequence.step", Type.INT, "10000", 1, 1_000_000, "How far sequencer bounds are raised per persisted step."),
            new Key("commit.max-batch-mutations", Type.INT, "20000", 1, 10_000_000, "Soft cap of mutations per group commit."),
            new Key("overload.low-backlog", Type.DURATION, "100ms", 1, 600_000, "Queued work (age of the oldest unacknowledged request) above which typing and presence are refused with OVERLOADED in overload (four times it: in any case)."),
            new Key("overload.normal-backlog", Type.DURATION, "250ms", 1, 600_000, "Queued work above which sends, group changes, read markers, history and registration are refused too."),
            new Key("overload.high-backlog", Type.DURATION, "1s", 1, 600_000, "Queued work above which every request is refused, login, resume and sync included."),
            new Key("overload.request-deadline", Type.DURATION, "10s", 100, 600_000, "A request that waited this long behind earlier ones of its connection is refused instead of started."),
            new Key("typing.interval", Type.DURATION, "2s", 0, 60_000, "Minimum interval between forwarded typing notices per device and chat."),
            new Key("messages.edit-window", Type.DURATION, "48h", 0, 3_650L * 86_400_000, "How long after sending its author may edit a message (EDIT_WINDOW_PASSED after)."),
            new Key("messages.recall-window", Type.DURATION, "48h", 0, 3_650L * 86_400_000, "How long after sending its author may delete a message for everyone (RECALL_WINDOW_PASSED after; group admins any time)."),
            new Key("limits.send-rate-device", Type.RATE, "20/1s", 0, 1_000_000_000, "Sends per device: a burst of that many, refilled over the period (SEND_RATE_DEVICE); 0/1s = no limit."),
            new Key("limits.send-rate-user", Type.RATE, "50/1s", 0, 1_000_000_000, "Sends of all devices of one user together (SEND_RATE_USER)."),
            new Key("limits.login-failures-per-username", Type.RATE, "10/15m", 0, 1_000_000_000, "Failed logins naming one username, whether it exists or not (LOGIN_RATE_USERNAME)."),
            new Key("limits.login-attempts-per-address", Type.RATE, "30/1m", 0, 1_000_000_000, "Login attempts from one network address, failed or not (LOGIN_RATE_ADDRESS)."),
            new Key("limits.registrations-per-address", Type.RATE, "10/1h", 0, 1_000_000_000, "Registrations from one network address (REGISTER_RATE_ADDRESS)."),
            new Key("limits.groups-per-user", Type.RATE, "20/1h", 0, 1_000_000_000, "Groups one user may create (GROUP_CREATE_RATE)."),
            new Key("limits.connections-per-address", Type.INT, "1000", 0, 1_000_000, "Open connections from one network address (CONNECTIONS_PER_ADDRESS, close 4065); 0 = no limit. Behind a load balancer all clients share its address."));

    private static final Map<String, Key> BY_NAME = new LinkedHashMap<>();
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d+\\s*(?:ms|s|m|h|d))");

    static {
        KEYS.forEach(k -> BY_NAME.put(k.name(), k));
    }

    private Settings() {}

    public static Key key(String name) {
        Key k = BY_NAME.get(name);
        if (k == null) {
            throw new ConfigException("unknown configuration key '" + name + "'; known keys: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return k;
    }

    /** Parses and range-checks a raw value; the result is a String, Long (INT, SIZE), Duration or Rate. */
    static Object parse(Key k, String raw, String source) {
        String v = raw.strip();
        String where = " for '" + k.name() + "' (from " + source + ")";
        return switch (k.type()) {
            case STRING -> {
                if (v.isEmpty() && !k.defaultValue().isEmpty()) { // an empty default means "off" is allowed
                    throw new ConfigException("empty value" + where);
                }
                yield v;
            }
            case FILE -> v;
            case INT -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException("'" + v + "' is not an integer" + where + "; allowed: " + k.min() + ".." + k.max());
                }
                yield inRange(k, n, v, where);
            }
            case SIZE -> {
                Matcher m = SIZE.matcher(v);
                if (!m.matches()) {
                    throw new ConfigException("'" + v + "' is not a size" + where + "; use e.g. 512KiB, 64MiB, 1GiB");
                }
                long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
                    case "KiB" -> 1L << 10;
                    case "MiB" -> 1L << 20;
                    case "GiB" -> 1L << 30;
                    default -> 1;
                };
                yield inRange(k, Math.multiplyExact(Long.parseLong(m.group(1)), unit), v, where);
            }
            case DURATION -> {
                Duration d = duration(v);
                if (d == null) {
                    throw new ConfigException("'" + v + "' is not a duration" + where + "; use e.g. 500ms, 10s, 5m, 2h, 30d");
                }
                inRange(k, d.toMillis(), v, where);
                yield d;
            }
            case RATE -> {
                Matcher m = RATE.matcher(v);
                Duration period = m.matches() ? duration(m.group(2).replace(" ", "")) : null;
                if (period == null || period.isZero()) {
                    throw new ConfigException("'" + v + "' is not a rate" + where
                            + "; use permits/period, e.g. 20/1s, 10/15m, 5/1h (0/1s: no limit)");
                }
                yield new dev.tern.core.limits.Rate(inRange(k, Long.parseLong(m.group(1)), v, where), period);
            }
        };
    }

    private static Duration duration(String v) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static long inRange(Key k, long n, String v, String where) {
        if (n < k.min() || n > k.max()) {
            throw new ConfigException("'" + v + "' is out of range" + where + "; allowed: " + describe(k));
        }
        return n;
    }

    static String describe(Key k) {
        return switch (k.type()) {
            case DURATION -> k.min() + "ms.." + k.max() + "ms";
            case SIZE -> k.min() + ".." + k.max() + " bytes";
            case RATE -> k.min() + ".." + k.max() + " per period";
            default -> k.min() + ".." + k.max();
        };
    }
}
