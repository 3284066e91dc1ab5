package dev.tern.core.tests;

import dev.tern.core.Await;
import dev.tern.core.CoreConfig;
import dev.tern.core.auth.Accounts;
import dev.tern.core.Principal;
import dev.tern.core.auth.Users;
import dev.tern.core.delivery.Sessions;
import dev.tern.core.group.Channels;
import dev.tern.core.group.Creations;
import dev.tern.core.group.GroupSettings;
import dev.tern.core.group.Groups;
import dev.tern.core.group.Invites;
import dev.tern.core.inbox.Dialogs;
import dev.tern.core.inbox.Receipts;
import dev.tern.core.ledger.Conversations;
import dev.tern.core.ledger.Dedup;
import dev.tern.core.ledger.LedgerConfig;
import dev.tern.core.ledger.LocalLedger;
import dev.tern.core.ledger.Timeline;
import dev.tern.core.limits.Limits;
import dev.tern.core.limits.LimitsConfig;
import dev.tern.core.limits.Rate;
import dev.tern.core.media.MediaConfig;
import dev.tern.core.media.MediaLibrary;
import dev.tern.core.message.Catchup;
import dev.tern.core.message.Drafts;
import dev.tern.core.message.MessageEdits;
import dev.tern.core.message.Messaging;
import dev.tern.core.message.Pins;
import dev.tern.core.people.Blocks;
import dev.tern.core.people.Privacy;
import dev.tern.core.group.NewGroup;
import dev.tern.core.view.HistoryPage;
import dev.tern.core.view.Sent;
import dev.tern.core.view.SessionView;
import dev.tern.store.testkit.MemoryStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The core's write kernel and features wired with their plain constructors, as {@code node.Core}
 * wires them, on a {@link MemoryStore}, a {@link MutableClock} and a {@link RecordingFanout} instead
 * of disk, wall time and sessions. The one place that knows the constructors: when one changes, only
 * this class does. Search, presence and uploads are left out (they need an index or files).
 */
final class CoreFixture implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final Duration EDIT_WINDOW = Duration.ofHours(1);
    static final Duration DEDUP_WINDOW = Duration.ofMinutes(10);
    static final int MAX_BODY = 1000;

    final MemoryStore store;
    final MutableClock clock;
    final RecordingFanout fanout;
    final CoreConfig config;
    final Gate gate = new Gate();
    final LocalLedger ledger;
    final Conversations conversations;
    final Timeline timeline;
    final Accounts accounts;
    final Privacy privacy;
    final Receipts receipts;
    final Dialogs dialogs;
    final GroupSettings settings;
    final Blocks blocks;
    final Dedup dedup;
    final Messaging messaging;
    final Catchup catchup;
    final MessageEdits edits;
    final Pins pins;
    final Groups groups;
    final Channels channels;
    final Invites invites;

    /** A fresh store with the test configuration. */
    static CoreFixture start() {
        return start(c -> c);
    }

    /** A fresh store with the test configuration as {@code tune} changes it. */
    static CoreFixture start(UnaryOperator<CoreConfig> tune) {
        return new CoreFixture(new MemoryStore(), new MutableClock(), new RecordingFanout(), tune.apply(testConfig()));
    }

    CoreFixture(MemoryStore store, MutableClock clock, RecordingFanout fanout, CoreConfig config) {
        this.store = store;
        this.clock = clock;
        this.fanout = fanout;
        this.config = config;
        this.ledger = new LocalLedger(store, fanout, new LedgerConfig(config.sequenceStep(),
                config.maxBatchMutations(), config.broadcastThreshold()));
        ledger.tap(gate);
        this.conversations = ledger.conversations();
        this.timeline = ledger.timeline();
        Limits limits = new Limits(LimitsConfig.NONE);
        Users users = new Users(store);
        this.privacy = new Privacy(store, ledger, users);
        this.receipts = new Receipts(ledger, conversations, timeline, privacy);
        this.dialogs = new Dialogs(store, ledger, conversations, users, timeline, receipts, clock);
        this.accounts = new Accounts(store, ledger, users, new Sessions(), limits, clock, config);
        this.settings = new GroupSettings(ledger, conversations, users, timeline, clock);
        ledger.onWriteFailure(settings::reset);
        this.blocks = new Blocks(store, ledger, users);
        MediaLibrary media = new MediaLibrary(store, ledger, new NoBlobs(), conversations, mediaConfig(), clock);
        ledger.onWriteFailure(media::reset);
        this.dedup = new Dedup(store, config.dedupWindow(), clock);
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
    }

    /**
     * Small bounds so tests reach them cheaply: sequencer step 10, bodies of 1000 bytes, an edit and
     * recall window of an hour, broadcast above 50 members, tickets and a dedup window of 10 minutes, and the
     * cheapest Argon2 the config allows.
     */
    static CoreConfig testConfig() {
        return new CoreConfig(100, MAX_BODY, DEDUP_WINDOW, 10, 20_000, 8, 1, Duration.ofSeconds(2),
                EDIT_WINDOW, EDIT_WINDOW, 50, 1000, DEDUP_WINDOW);
    }

    /** {@code c} with another sequencer step. */
    static CoreConfig withStep(CoreConfig c, int step) {
        return new CoreConfig(c.maxGroupMembers(), c.maxBodyBytes(), c.ticketTtl(), step, c.maxBatchMutations(),
                c.argon2MemoryKiB(), c.argon2Iterations(), c.typingInterval(), c.editWindow(), c.recallWindow(),
                c.broadcastThreshold(), c.maxChannelMembers(), c.dedupWindow());
    }

    /** {@code c} with another largest message body. */
    static CoreConfig withMaxBody(CoreConfig c, int bytes) {
        return new CoreConfig(c.maxGroupMembers(), bytes, c.ticketTtl(), c.sequenceStep(), c.maxBatchMutations(),
                c.argon2MemoryKiB(), c.argon2Iterations(), c.typingInterval(), c.editWindow(), c.recallWindow(),
                c.broadcastThreshold(), c.maxChannelMembers(), c.dedupWindow());
    }

    private static MediaConfig mediaConfig() {
        return new MediaConfig(Path.of(System.getProperty("java.io.tmpdir")), 1 << 20, 0, Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofHours(1), List.of("image/*"), new byte[32], Rate.UNLIMITED);
    }

    /**
     * A restart: this kernel drains and stops, and a new one (with empty caches and sequencers) is
     * built on the same store, clock and fanout. Tickets stay valid, so principals carry over.
     */
    CoreFixture restart() {
        ledger.close();
        return new CoreFixture(store, clock, fanout, config);
    }

    // ---- people

    /** Registers {@code name} and logs in a first device. */
    Principal user(String name) {
        accounts.register(name, PASSWORD, "127.0.0.1");
        return login(name);
    }

    /** Another device of an existing user. */
    Principal login(String name) {
        SessionView s = accounts.login(name, PASSWORD, "test device", "127.0.0.1");
        return accounts.principalOf(s);
    }

    // ---- conversations and messages

    /** A group owned by {@code owner} with {@code members}; its id. */
    long group(Principal owner, Principal... members) {
        List<String> names = Arrays.stream(members).map(Principal::username).toList();
        return await(groups.create(owner, new NewGroup("team", names, ""))).conversationId();
    }

    /** A text send to a conversation, with a fresh client id. */
    static OutgoingBuilder text(long conversationId, String text) {
        return OutgoingBuilder.text(conversationId, text);
    }

    Sent send(Principal from, long conversationId, String text) {
        return await(messaging.send(from, text(conversationId, text).build()));
    }

    /** A text to the direct chat with {@code peer} (created by the first one). */
    Sent sendTo(Principal from, Principal peer, String text) {
        return await(messaging.send(from, OutgoingBuilder.textTo(peer.username(), text).build()));
    }

    HistoryPage history(Principal who, long conversationId) {
        return catchup.history(who, conversationId, 0, 200);
    }

    static <T> T await(CompletableFuture<T> f) {
        return Await.result(f);
    }

    /**
     * Stops the kernel without waiting for it: draining takes up to one idle poll of the committer
     * (100 ms), which a test's teardown need not sit through. {@link #restart} waits.
     */
    @Override
    public void close() {
        Thread.ofVirtual().name("fixture-close").start(ledger::close);
    }
}
