package dev.tern.store.testkit;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.ChannelNameRecord;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.MemberRecord;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.ReactionRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.TicketRecord;
import dev.tern.core.store.UpdateRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UserRecord;
import dev.tern.store.testkit.MemoryKeys.DedupAt;
import dev.tern.store.testkit.MemoryKeys.K2;
import dev.tern.store.testkit.MemoryKeys.K3;
import dev.tern.store.testkit.MemoryKeys.TicketAt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.tern.store.testkit.MemoryKeys.MAX;

/**
 * The range reads of {@link MemoryStore}: bounds, limits and edge cases as the port documents them and
 * as the embedded store answers them (the guards mirror RocksStore's line by line: a negative limit is
 * an IllegalArgumentException, limit 0 or an empty window is an empty list, an "after" bound of the
 * greatest key finds nothing). Called under the store's read lock.
 */
final class MemoryRanges {

    private MemoryRanges() {
    }

    static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
    }

    /** The first {@code limit} of {@code values}, in a new list the caller owns. */
    static <T> List<T> first(Collection<T> values, int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, Math.min(values.size(), 64)));
        for (T v : values) {
            if (out.size() >= limit) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    /** The second part of the last key under {@code a} that is at most Long.MAX_VALUE: the highest seq or pts, 0 if none. */
    static long lastSecond(NavigableMap<K2, ?> map, long a) {
        K2 k = map.floorKey(new K2(a, Long.MAX_VALUE));
        return k != null && k.a() == a ? k.b() : 0;
    }

    static List<MemberRecord> membersAfter(MemoryTables t, long conversationId, long afterUserId, int limit) {
        checkLimit(limit);
        if (limit == 0 || afterUserId == MAX) {
            return List.of();
        }
        return first(t.members.subMap(new K2(conversationId, afterUserId + 1), true, new K2(conversationId, MAX), true)
                .values(), limit);
    }

    static List<MessageRecord> messagesBefore(MemoryTables t, long conversationId, long beforeSeq, long minSeq,
                                              int limit) {
        long from = Math.max(minSeq, 0);
        checkLimit(limit);
        if (limit == 0 || beforeSeq <= from) {
            return List.of();
        }
        return first(t.messages.subMap(new K2(conversationId, from), true, new K2(conversationId, beforeSeq), false)
                .descendingMap().values(), limit);
    }

    static List<UpdateRecord> updatesAfter(MemoryTables t, long userId, long afterPts, int limit) {
        checkLimit(limit);
        if (limit == 0 || afterPts == Long.MAX_VALUE) {
            return List.of();
        }
        return first(t.updates.subMap(new K2(userId, Math.max(afterPts + 1, 0)), true, new K2(userId, MAX), true)
                .values(), limit);
    }

    static List<ReactionRecord> reactions(MemoryTables t, long conversationId, long seq, long afterUserId, int limit) {
        checkLimit(limit);
        if (limit == 0 || afterUserId == MAX) {
            return List.of();
        }
        return first(t.reactions.subMap(new K3(conversationId, seq, afterUserId + 1), true,
                new K3(conversationId, seq, MAX), true).values(), limit);
    }

    static List<Long> hidden(MemoryTables t, long userId, long conversationId, long fromSeq, long toSeq) {
        long from = Math.max(fromSeq, 0);
        if (toSeq <= from) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        t.hidden.subSet(new K3(userId, conversationId, from), true, new K3(userId, conversationId, toSeq), false)
                .forEach(k -> out.add(k.c()));
        return out;
    }

    /** The entries of {@code map} whose key starts with {@code prefix}, in key order: a contiguous run from it. */
    private static <V> Stream<Map.Entry<String, V>> prefixed(NavigableMap<String, V> map, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return map.tailMap(prefix, true).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix));
    }

    static List<ChannelNameRecord> channelNames(MemoryTables t, String prefix, int limit) {
        checkLimit(limit);
        return prefixed(t.channelNames, prefix).limit(limit).map(e -> new ChannelNameRecord(e.getKey(), e.getValue()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    static List<DedupRecord> dedupsBefore(MemoryTables t, long tsMs, int limit) {
        checkLimit(limit);
        // (tsMs, 0, "") is the smallest key at tsMs: everything before it is older.
        return first(t.dedupsByTime.headMap(new DedupAt(tsMs, 0, ""), false).values(), limit);
    }

    static List<TicketRecord> ticketsExpiredBefore(MemoryTables t, long ms, int limit) {
        checkLimit(limit);
        return first(t.ticketsByExpiry.headMap(new TicketAt(ms, new byte[0]), false).values(), limit);
    }

    static List<UploadRecord> uploads(MemoryTables t, String afterId, int limit) {
        Objects.requireNonNull(afterId, "afterId");
        checkLimit(limit);
        return first(t.uploads.tailMap(afterId, false).values(), limit);
    }

    static List<MediaRecord> mediaPage(MemoryTables t, String afterId, int limit) {
        Objects.requireNonNull(afterId, "afterId");
        checkLimit(limit);
        return first(t.media.tailMap(afterId, false).values(), limit);
    }

    static List<MediaUseRecord> mediaUses(MemoryTables t, String mediaId, int limit) {
        Objects.requireNonNull(mediaId, "mediaId");
        checkLimit(limit);
        List<MediaUseRecord> out = new ArrayList<>();
        for (K2 k : t.mediaUses.getOrDefault(mediaId, new TreeSet<>())) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new MediaUseRecord(mediaId, k.a(), k.b()));
        }
        return out;
    }

    static List<BlobRefRecord> unreferencedBlobs(MemoryTables t, long beforeMs, int limit) {
        checkLimit(limit);
        return t.blobRefs.values().stream().filter(b -> b.refs() <= 0 && b.unreferencedSinceMs() < beforeMs)
                .limit(limit).collect(Collectors.toCollection(ArrayList::new));
    }

    static List<MessageRecord> messagesAfter(MemoryTables t, long conversationId, long afterSeq, int limit) {
        checkLimit(limit);
        if (limit == 0 || afterSeq == Long.MAX_VALUE) {
            return List.of();
        }
        return first(t.messages.tailMap(new K2(conversationId, Math.max(afterSeq + 1, 0)), true).values(), limit);
    }

    static List<SearchBacklogRecord> searchBacklog(MemoryTables t, long afterId, int limit) {
        checkLimit(limit);
        if (limit == 0 || afterId == Long.MAX_VALUE) {
            return List.of();
        }
        return first(t.searchBacklog.tailMap(Math.max(afterId + 1, 0), true).values(), limit);
    }

    static long lastSearchBacklogId(MemoryTables t) {
        Long last = t.searchBacklog.floorKey(Long.MAX_VALUE);
        return last == null ? 0 : last;
    }

    /**
     * The user {@code name} names in the name index, or null when the entry is one a rename left
     * behind (the user now has another name): the user record decides, as in the embedded store.
     */
    static UserRecord named(MemoryTables t, String name, Long userId) {
        UserRecord u = userId == null ? null : t.users.get(userId);
        return u != null && u.username().equals(name) ? u : null;
    }

    static List<UserRecord> usersByNamePrefix(MemoryTables t, String prefix, int limit) {
        checkLimit(limit);
        return prefixed(t.names, prefix).map(e -> named(t, e.getKey(), e.getValue())).filter(Objects::nonNull)
                .limit(limit).collect(Collectors.toCollection(ArrayList::new));
    }
}
