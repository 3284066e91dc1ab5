package dev.tern.bench.jmh;

import dev.tern.core.ledger.Sequencers;
import dev.tern.core.store.ConversationRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.store.Store;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UserRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@link Sequencers#allocate} on one hot key (a busy group's seq) and round-robin over 10,000 keys
 * (many users' pts: map lookups miss the CPU cache). Single-threaded, because the core only
 * allocates under its sequencing lock. The step is the core's default, so a bound raise (an extra
 * mutation in the batch) happens once per 10,000 numbers per key, as in production.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class SequencerBench {
    private static final int STEP = 10_000;
    private static final int KEYS = 10_000;

    private Sequencers sequencers;
    private String[] keys;
    private int next;
    /** Reused: the batch only grows on a bound raise, and is cleared so it never does for long. */
    private final List<Mutation> batch = new ArrayList<>();

    @Setup
    public void setup() {
        sequencers = new Sequencers(new ZeroStore(), STEP);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = Sequencers.userKey(i + 1);
            sequencers.preload(keys[i]);
        }
        sequencers.preload(Sequencers.conversationKey(1));
    }

    @Benchmark
    public long oneHotKey() {
        batch.clear();
        return sequencers.allocate("c/1", batch).value();
    }

    @Benchmark
    public long tenThousandKeys() {
        batch.clear();
        String key = keys[next];
        next = next + 1 == KEYS ? 0 : next + 1;
        return sequencers.allocate(key, batch).value();
    }

    /**
     * A store that has nothing: every sequence starts at 0. Sequencers reads only sequenceBound,
     * lastPts and lastSeq (when a key is first loaded); anything else would be a bug in this bench.
     */
    static final class ZeroStore implements Store {
        @Override public long sequenceBound(String key) { return 0; }
        @Override public long lastPts(long userId) { return 0; }
        @Override public long lastSeq(long conversationId) { return 0; }

        @Override public void write(List<Mutation> batch) { throw unused(); }
        @Override public Optional<UserRecord> user(long userId) { throw unused(); }
        @Override public Optional<UserRecord> userByName(String canonicalName) { throw unused(); }
        @Override public Optional<TicketRecord> ticket(byte[] hash) { throw unused(); }
        @Override public Optional<ConversationRecord> conversation(long conversationId) { throw unused(); }
        @Override public List<MemberRecord> members(long conversationId) { throw unused(); }
        @Override public List<Long> conversationsOf(long userId) { throw unused(); }
        @Override public OptionalLong directConversation(long userLo, long userHi) { throw unused(); }
        @Override public Optional<MessageRecord> message(long conversationId, long seq) { throw unused(); }
        @Override public List<MessageRecord> messagesBefore(long conversationId, long beforeSeq, long minSeq, int limit) {
            throw unused();
        }
        @Override public List<UpdateRecord> updatesAfter(long userId, long afterPts, int limit) { throw unused(); }
        @Override public Optional<DedupRecord> dedup(long deviceId, String clientMsgId) { throw unused(); }
        @Override public List<DedupRecord> dedupsBefore(long tsMs, int limit) { throw unused(); }
        @Override public List<TicketRecord> ticketsExpiredBefore(long ms, int limit) { throw unused(); }
        @Override public long readMarker(long userId, long conversationId) { throw unused(); }
        @Override public long deliveredMarker(long userId, long conversationId) { throw unused(); }
        @Override public List<dev.tern.core.store.ReactionRecord> reactions(long c, long s, long after, int n) { throw unused(); }
        @Override public Optional<dev.tern.core.store.ReactionRecord> reaction(long c, long s, long u) { throw unused(); }
        @Override public List<Long> hidden(long u, long c, long from, long to) { throw unused(); }
        @Override public boolean banned(long c, long u) { throw unused(); }
        @Override public List<Long> blockedBy(long u) { throw unused(); }
        @Override public List<Long> contactsOf(long u) { throw unused(); }
        @Override public Optional<dev.tern.core.store.PrivacyRecord> privacy(long u) { throw unused(); }
        @Override public Optional<dev.tern.core.store.InviteRecord> invite(byte[] h) { throw unused(); }
        @Override public java.util.OptionalLong channelByName(String n) { throw unused(); }
        @Override public Optional<dev.tern.core.store.UploadRecord> upload(String id) { throw unused(); }
        @Override public List<dev.tern.core.store.UploadRecord> uploads(String a, int l) { throw unused(); }
        @Override public Optional<dev.tern.core.store.MediaRecord> media(String id) { throw unused(); }
        @Override public List<dev.tern.core.store.MediaRecord> mediaPage(String a, int l) { throw unused(); }
        @Override public List<dev.tern.core.store.MediaUseRecord> mediaUses(String id, int l) { throw unused(); }
        @Override public Optional<dev.tern.core.store.BlobRefRecord> blobRef(String s) { throw unused(); }
        @Override public List<dev.tern.core.store.BlobRefRecord> unreferencedBlobs(long b, int l) { throw unused(); }
        @Override public long usage(long u) { throw unused(); }
        @Override public List<dev.tern.core.store.MemberRecord> membersAfter(long c, long a, int l) { throw unused(); }
        @Override public List<dev.tern.core.store.ChannelNameRecord> channelNames(String p, int l) { throw unused(); }
        @Override public Optional<dev.tern.core.store.DialogRecord> dialog(long u, long c) { throw unused(); }
        @Override public List<dev.tern.core.store.DialogRecord> dialogsOf(long u) { throw unused(); }
        @Override public long lastSeen(long userId) { throw unused(); }
        @Override public List<MessageRecord> messagesAfter(long c, long after, int n) { throw unused(); }
        @Override public List<dev.tern.core.store.SearchBacklogRecord> searchBacklog(long after, int n) { throw unused(); }
        @Override public long lastSearchBacklogId() { throw unused(); }
        @Override public List<UserRecord> usersByNamePrefix(String prefix, int n) { throw unused(); }
        @Override public void close() {}

        private static UnsupportedOperationException unused() {
            return new UnsupportedOperationException("not used by Sequencers");
        }
    }
}
