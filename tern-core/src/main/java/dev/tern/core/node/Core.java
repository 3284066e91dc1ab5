package dev.tern.core.node;

import dev.tern.core.CoreConfig;

import dev.tern.core.admission.Admission;
import dev.tern.core.admission.AdmissionConfig;
import dev.tern.core.auth.Accounts;
import dev.tern.core.auth.Users;
import dev.tern.core.people.Blocks;
import dev.tern.core.message.Catchup;
import dev.tern.core.group.Channels;
import dev.tern.core.inbox.Dialogs;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.group.GroupSettings;
import dev.tern.core.group.Groups;
import dev.tern.core.message.MessageEdits;
import dev.tern.core.group.Invites;
import dev.tern.core.message.Messaging;
import dev.tern.core.message.Pins;
import dev.tern.core.people.Privacy;
import dev.tern.core.inbox.Receipts;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.ledger.CommitListener;
import dev.tern.core.ledger.Dedup;
import dev.tern.core.message.Drafts;
import dev.tern.core.group.Creations;
import dev.tern.core.ledger.LedgerConfig;
import dev.tern.core.ledger.LocalLedger;
import dev.tern.core.ledger.Sweeper;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.limits.Limits;
import dev.tern.core.limits.LimitsConfig;
import dev.tern.core.presence.PresenceService;
import dev.tern.core.search.Indexer;
import dev.tern.core.search.Search;
import dev.tern.core.search.SearchIndex;
import dev.tern.core.store.Store;

import java.time.InstantSource;

/**
 * The core's composition: plain constructors, no container. Owns the commit pipeline; the store
 * is owned by whoever opened it.
 */
public final class Core implements AutoCloseable {
    private final LocalLedger ledger;
    private final Sessions sessions;
    private final Accounts accounts;
    private final Messaging messaging;
    private final Catchup catchup;
    private final MessageEdits edits;
    private final Pins pins;
    private final GroupSettings settings;
    private final Invites invites;
    private final Blocks blocks;
    private final Privacy privacy;
    private final Groups groups;
    private final Channels channels;
    private final dev.tern.core.media.MediaLibrary media;
    private final dev.tern.core.media.Uploads uploads;
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final Sweeper expiry;
    private final Dialogs dialogs;
    private final Receipts receipts;
    private final PresenceService presence;
    private final CoreConfig config;
    private final Admission admission;
    private final Limits limits;
    private final Indexer indexer;
    private final Store store;
    private final Search search;

    /**
     * @param searchIndex         the message index; owned, like the store, by whoever opened it
     * @param searchCommitInterval how often the indexer commits the index (and drops the backlog it covers)
     */
    public Core(Store store, CoreConfig config, AdmissionConfig admissionConfig, LimitsConfig limitsConfig,
                SearchIndex searchIndex, java.time.Duration searchCommitInterval, MediaParts mediaParts,
                InstantSource clock) {
        this.config = config;
        this.store = store;
        this.limits = new Limits(limitsConfig);
        this.sessions = new Sessions();
        this.ledger = new LocalLedger(store, sessions, new LedgerConfig(config.sequenceStep(),
                config.maxBatchMutations(), config.broadcastThreshold()));
        Conversations conversations = ledger.conversations();
        Timeline timeline = ledger.timeline();
        this.indexer = new Indexer(store, ledger, searchIndex, searchCommitInterval);
        ledger.tap(indexer); // before the first change: every message record gets its backlog entry
        this.search = new Search(store, searchIndex, conversations);
        this.admission = new Admission(admissionConfig, ledger);
        Users users = new Users(store);
        this.privacy = new Privacy(store, ledger, users);
        this.receipts = new Receipts(ledger, conversations, timeline, privacy);
        this.dialogs = new Dialogs(store, ledger, conversations, users, timeline, receipts, clock);
        this.accounts = new Accounts(store, ledger, users, sessions, limits, clock, config);
        this.settings = new GroupSettings(ledger, conversations, users, timeline, clock);
        ledger.onWriteFailure(settings::reset); // a failed send must not count against slow mode
        this.blocks = new Blocks(store, ledger, users);
        this.media = new dev.tern.core.media.MediaLibrary(store, ledger, mediaParts.blobs(), conversations,
                mediaParts.config(), clock);
        ledger.onWriteFailure(media::reset);
        this.uploads = new dev.tern.core.media.Uploads(store, ledger, media, mediaParts.config(), clock);
        Dedup dedup = new Dedup(store, config.dedupWindow(), clock);
        this.messaging = new Messaging(ledger, conversations, users, timeline, settings, blocks, dedup,
                new Drafts(store, conversations, users, media, clock, config));
        this.catchup = new Catchup(store, conversations, users, dialogs);
        this.edits = new MessageEdits(store, ledger, conversations, users, timeline, clock, config);
        this.pins = new Pins(store, ledger, conversations, timeline, clock);
        Creations creations = new Creations(dedup);
        this.groups = new Groups(store, ledger, conversations, users, timeline, limits, dialogs, creations, clock,
                config);
        this.channels = new Channels(store, ledger, conversations, timeline, groups, limits, creations, clock);
        this.invites = new Invites(store, ledger, conversations, timeline, groups, clock);
        this.presence = new PresenceService(store, ledger, sessions, conversations, users, blocks, privacy, clock,
                config);
        this.expiry = new Sweeper(store, ledger, dedup, clock, EXPIRY_PER_RUN);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("tern-sweeper").daemon().unstarted(r));
        long every = mediaParts.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepMedia, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(this::sweepExpired, 1, EXPIRY_SWEEP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The file storage of a node: where blobs go, the media settings, how often unused files are collected. */
    public record MediaParts(dev.tern.core.blob.BlobStore blobs, dev.tern.core.media.MediaConfig config,
                             java.time.Duration sweepInterval) {
        public MediaParts {
            if (blobs == null || config == null || sweepInterval == null || sweepInterval.toMillis() < 1) {
                throw new IllegalArgumentException("blobs, config and a positive sweep interval are required");
            }
        }
    }

    /** How often expired dedup records and tickets are swept. */
    public static final java.time.Duration EXPIRY_SWEEP = java.time.Duration.ofMinutes(1);

    /** Records of each kind one sweep run deletes at most before it checks for shutdown. */
    static final int EXPIRY_PER_RUN = 10_000;

    /** Dedup records past the retry window and expired tickets go; runs on the sweeper thread. */
    public void sweepExpired() {
        try {
            // A run that hit its limit found more due: go on at once rather than a minute later, so
            // a node whose sends outpace one run a minute still keeps up (between runs other sweeps
            // on this thread get their turn).
            while (!sweeper.isShutdown()
                    && (expiry.sweepDedups() == EXPIRY_PER_RUN | expiry.sweepTickets() == EXPIRY_PER_RUN)) {
                Thread.yield();
            }
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Core.class).warn("expiry sweep failed; the next one retries", e);
        }
    }

    /** Deletes expired dedup records and tickets (counts for metrics). */
    public Sweeper expiry() {
        return expiry;
    }

    /** Expired uploads, unsent media and unreferenced blobs go; runs on the sweeper thread. */
    public void sweepMedia() {
        try {
            uploads.sweep();
            media.sweep();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Core.class).warn("media sweep failed; the next one retries", e);
        }
    }

    public dev.tern.core.media.MediaLibrary media() {
        return media;
    }

    public dev.tern.core.media.Uploads uploads() {
        return uploads;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Messaging messaging() {
        return messaging;
    }

    /** Sync, history and broadcast change logs: how devices catch up. */
    public Catchup catchup() {
        return catchup;
    }

    public MessageEdits edits() {
        return edits;
    }

    public GroupSettings settings() {
        return settings;
    }

    public Privacy privacy() {
        return privacy;
    }

    public Blocks blocks() {
        return blocks;
    }

    public Invites invites() {
        return invites;
    }

    public Pins pins() {
        return pins;
    }

    public Channels channels() {
        return channels;
    }

    public Receipts receipts() {
        return receipts;
    }

    public Dialogs dialogs() {
        return dialogs;
    }

    public Groups groups() {
        return groups;
    }

    public PresenceService presence() {
        return presence;
    }

    /** Message and username search. */
    public Search search() {
        return search;
    }

    /** The search indexer (lag and rebuild state for metrics). */
    public Indexer indexer() {
        return indexer;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** Decides which requests to refuse when the server falls behind. */
    public Admission admission() {
        return admission;
    }

    /** Per-key rate limits (sends, logins, registrations, group creation). */
    public Limits limits() {
        return limits;
    }

    public CoreConfig config() {
        return config;
    }

    /** Store writes (fsyncs) so far and batches they carried: the group-commit ratio. */
    public long commits() {
        return ledger.commits();
    }

    public long batches() {
        return ledger.batches();
    }

    /**
     * Why this node should not get new traffic now, or null when it is ready: its last store write
     * failed (disk full, I/O error), or its backlog is past the point where every request is refused.
     */
    public String notReadyReason() {
        if (!store.writable()) {
            return "the store refuses writes (disk full or I/O error)";
        }
        if (!ledger.writable()) {
            return "the last store write failed";
        }
        if (admission.backlogNanos() > admission.config().highBacklog().toNanos()) {
            return "overloaded";
        }
        return null;
    }

    /** An online backup of the store into {@code target} (see {@link Store#backup}). */
    public void backup(java.nio.file.Path target) {
        store.backup(target);
    }

    /** Sees every group commit: batches in it, mutations, write (fsync) time. */
    public void listenToCommits(CommitListener l) {
        ledger.listen(l);
    }

    /** Drains queued writes; call after the gateway stopped taking requests, before closing the store. */
    @Override
    public void close() {
        sweeper.shutdown(); // a sweep in progress ends its page: its deletes go before the store closes
        try {
            if (!sweeper.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                sweeper.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.close();
        indexer.close(); // after the pipeline: indexes what it drained, commits the index
    }
}
