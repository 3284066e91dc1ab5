package dev.tern.core;

import dev.tern.core.admission.Admission;
import dev.tern.core.admission.AdmissionConfig;
import dev.tern.core.auth.Accounts;
import dev.tern.core.auth.Users;
import dev.tern.core.chat.Blocks;
import dev.tern.core.chat.Catchup;
import dev.tern.core.chat.Channels;
import dev.tern.core.chat.Dialogs;
import dev.tern.core.chat.Conversations;
import dev.tern.core.chat.GroupSettings;
import dev.tern.core.chat.Groups;
import dev.tern.core.chat.MessageEdits;
import dev.tern.core.chat.Invites;
import dev.tern.core.chat.Messaging;
import dev.tern.core.chat.Pins;
import dev.tern.core.chat.Privacy;
import dev.tern.core.chat.Receipts;
import dev.tern.core.chat.Timeline;
import dev.tern.core.commit.CommitPipeline;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.limits.Limits;
import dev.tern.core.limits.LimitsConfig;
import dev.tern.core.presence.PresenceService;
import dev.tern.core.search.Indexer;
import dev.tern.core.search.Search;
import dev.tern.core.search.SearchIndex;
import dev.tern.core.sequence.Sequencers;
import dev.tern.core.store.Store;

import java.time.InstantSource;

/**
 * The core's composition: plain constructors, no container. Owns the commit pipeline; the store
 * is owned by whoever opened it.
 */
public final class Core implements AutoCloseable {
    private final CommitPipeline pipeline;
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
    private final Dialogs dialogs;
    private final Receipts receipts;
    private final PresenceService presence;
    private final CoreConfig config;
    private final Admission admission;
    private final Limits limits;
    private final Store store;
    private final Indexer indexer;
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
        Sequencers sequencers = new Sequencers(store, config.sequenceStep());
        Conversations conversations = new Conversations(store);
        // After a failed write, drop every number and cache the failed batches may have touched.
        dev.tern.core.media.MediaLibrary[] library = new dev.tern.core.media.MediaLibrary[1];
        this.pipeline = new CommitPipeline(store, config.maxBatchMutations(), () -> {
            sequencers.reset();
            conversations.reset();
            if (library[0] != null) {
                library[0].reset();
            }
        });
        this.indexer = new Indexer(store, searchIndex, searchCommitInterval);
        pipeline.tap(indexer); // before the first submit: every message record gets its backlog entry
        this.search = new Search(store, searchIndex, conversations);
        this.admission = new Admission(admissionConfig, pipeline::backlogNanos);
        Users users = new Users(store);
        this.sessions = new Sessions();
        Timeline timeline = new Timeline(sequencers, sessions, conversations, config.broadcastThreshold());
        this.privacy = new Privacy(store, pipeline, users);
        this.receipts = new Receipts(pipeline, sequencers, conversations, timeline, privacy);
        this.dialogs = new Dialogs(store, pipeline, conversations, users, timeline, receipts, clock);
        this.accounts = new Accounts(store, pipeline, sequencers, users, sessions, limits, clock, config);
        this.settings = new GroupSettings(pipeline, conversations, users, timeline, clock);
        this.blocks = new Blocks(store, pipeline, users);
        this.media = new dev.tern.core.media.MediaLibrary(store, pipeline, mediaParts.blobs(), conversations,
                mediaParts.config(), clock);
        library[0] = media;
        this.uploads = new dev.tern.core.media.Uploads(store, pipeline, media, mediaParts.config(), clock);
        this.messaging = new Messaging(store, pipeline, sequencers, conversations, users, timeline, settings, blocks,
                privacy, dialogs, media, clock, config);
        this.catchup = new Catchup(store, conversations, users, dialogs);
        this.edits = new MessageEdits(store, pipeline, conversations, users, timeline, clock, config);
        this.pins = new Pins(store, pipeline, conversations, timeline, clock);
        this.groups = new Groups(store, pipeline, sequencers, conversations, users, timeline, limits, dialogs, clock,
                config);
        this.channels = new Channels(store, pipeline, sequencers, conversations, timeline, groups, limits, clock);
        this.invites = new Invites(store, pipeline, sequencers, conversations, timeline, groups, clock);
        this.presence = new PresenceService(store, pipeline, sessions, conversations, users, blocks, privacy, clock,
                config);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("tern-media-sweeper").daemon().unstarted(r));
        long every = mediaParts.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepMedia, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
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
        return pipeline.commits();
    }

    public long batches() {
        return pipeline.batches();
    }

    /**
     * Why this node should not get new traffic now, or null when it is ready: its last store write
     * failed (disk full, I/O error), or its backlog is past the point where every request is refused.
     */
    public String notReadyReason() {
        if (!store.writable()) {
            return "the store refuses writes (disk full or I/O error)";
        }
        if (!pipeline.writable()) {
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
    public void listenToCommits(CommitPipeline.CommitListener l) {
        pipeline.listen(l);
    }

    /** Drains queued writes; call after the gateway stopped taking requests, before closing the store. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        pipeline.close();
        indexer.close(); // after the pipeline: indexes what it drained, commits the index
    }
}
