package dev.tern.server;

import dev.tern.core.node.Core;
import dev.tern.core.store.Store;
import dev.tern.core.search.SearchIndex;
import dev.tern.gateway.Gateway;
import dev.tern.search.lucene.LuceneIndex;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.store.rocksdb.RocksStore;
import dev.tern.store.rocksdb.RocksStoreConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Properties;
import java.util.function.UnaryOperator;

/** One running node: store, core and gateway, started and stopped in the right order. */
public final class TernServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TernServer.class);

    private final Store store;
    private final SearchIndex searchIndex;
    private final Core core;
    private final Gateway gateway;
    private final Metrics metrics;
    private final InetSocketAddress address;
    private boolean closed;
    /**
     * How long a shutdown waits for requests being handled; for clients still sending to fall quiet
     * (their requests are answered SHUTTING_DOWN meanwhile); then for the goodbyes' closes.
     */
    private static final Duration STOP_REQUESTS = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration GOODBYES = Duration.ofSeconds(2);

    private TernServer(Store store, SearchIndex searchIndex, Core core, Gateway gateway, Metrics metrics,
                       InetSocketAddress address) {
        this.store = store;
        this.searchIndex = searchIndex;
        this.core = core;
        this.gateway = gateway;
        this.metrics = metrics;
        this.address = address;
    }

    public static TernServer start(ServerConfig config) throws InterruptedException {
        return start(config, InstantSource.system());
    }

    /** Starts with the given clock (tests move time forward to expire tickets). */
    public static TernServer start(ServerConfig config, InstantSource clock) throws InterruptedException {
        return start(config, clock, UnaryOperator.identity());
    }

    /** Starts with the store wrapped by {@code decorate} (fault-injection tests wrap it). */
    static TernServer start(ServerConfig config, InstantSource clock, UnaryOperator<Store> decorate)
            throws InterruptedException {
        var gatewayConfig = config.gateway();
        var coreConfig = config.core();
        var admissionConfig = config.admission();
        var limitsConfig = config.limits();
        var adminConfig = config.admin();
        Store store = decorate.apply(RocksStore.open(new RocksStoreConfig(config.storePath(),
                config.size("store.block-cache"), config.size("store.write-buffer"), true)));
        SearchIndex searchIndex = null;
        dev.tern.core.blob.BlobStore blobs = null;
        Core core = null;
        Gateway gateway = null;
        Metrics metrics = null;
        try {
            searchIndex = LuceneIndex.open(config.searchPath());
            blobs = openBlobs(config);
            core = new Core(store, coreConfig, admissionConfig, limitsConfig, searchIndex,
                    config.searchCommitInterval(),
                    new Core.MediaParts(blobs, config.media(), config.mediaSweepInterval()), clock);
            metrics = new Metrics();
            PrometheusMeterRegistry registry = metrics.registry;
            NodeMetrics.register(registry, core);
            gateway = new Gateway(core, gatewayConfig, version(), registry, registry::scrape, adminConfig);
            InetSocketAddress bound = gateway.start();
            return new TernServer(store, searchIndex, core, gateway, metrics, bound);
        } catch (RuntimeException | InterruptedException e) {
            if (gateway != null) {
                gateway.close();
            }
            if (core != null) {
                core.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (searchIndex != null) {
                searchIndex.close();
            }
            if (blobs != null) {
                blobs.close();
            }
            store.close();
            throw e;
        }
    }

    /** The file store of blobs: a directory tree under media.path, or an S3-compatible bucket. */
    private static dev.tern.core.blob.BlobStore openBlobs(ServerConfig config) {
        String kind = config.string("media.store");
        try {
            return switch (kind) {
                case "fs" -> dev.tern.blob.fs.FsBlobStore.open(
                        new dev.tern.blob.fs.FsBlobConfig(config.mediaPath().resolve("blobs")));
                case "s3" -> dev.tern.blob.s3.S3BlobStore.open(config.s3());
                default -> throw new ConfigException("'media.store' must be 'fs' or 's3', not '" + kind + "'");
            };
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot open the media store (" + kind + "): " + e.getMessage());
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The plain port next to a TLS one (for a TLS-terminating load balancer), or null. */
    public InetSocketAddress plainAddress() {
        return gateway.plainAddress();
    }

    /** True when {@link #address()} speaks TLS (wss://, https://). */
    public boolean tls() {
        return gateway.tls();
    }

    public Core core() {
        return core;
    }

    /**
     * Stops in the order that answers every request a client made (docs/operations.md, "Shutdown"):
     * no new connections; requests not yet started are answered SHUTTING_DOWN; the core makes durable
     * and acknowledges everything it accepted; then every client gets those acks, the goodbye
     * SHUTTING_DOWN and close code 4044; then the event loops, the index and the store close.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gateway.stopAccepting();
        boolean interrupted = false;
        try {
            if (!gateway.stopRequests(STOP_REQUESTS)) {
                log.warn("requests still running after {} s; stopping anyway", STOP_REQUESTS.toSeconds());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        core.close(); // drains the commit pipeline (its acks go out), commits the search index
        try {
            if (!interrupted) {
                gateway.sayGoodbye(ErrorCode.SHUTTING_DOWN, "server is shutting down; reconnect later", QUIET,
                        GOODBYES);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        searchIndex.close();
        core.media().closeBlobs();
        store.close();
        metrics.close();
        log.info("stopped; {} batches were made durable in {} store writes (group commit)", core.batches(), core.commits());
    }

    public static String version() {
        try (InputStream in = TernServer.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
