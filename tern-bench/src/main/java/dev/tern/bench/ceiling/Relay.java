package dev.tern.bench.ceiling;

import dev.tern.protocol.v1.ConversationKind;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Update;
import dev.tern.protocol.v1.UpdatePush;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Everything the relay remembers: users, their connections, conversations and counters. Shared by
 * all event loops (and the group-commit thread in durable mode).
 *
 * <p>Ordering: a user's pts and a conversation's seq are only issued under that object's monitor,
 * and in bare mode the frames carrying them are handed to the {@link Outbox}es while the monitors
 * are still held, so every connection receives its pts (and every conversation its seqs) in
 * increasing order. Lock order is conversation, then users by ascending id; never the reverse.
 * In durable mode the group-commit thread is the only one issuing seq/pts and it hands frames over
 * in the same order it issued them, which gives the same guarantee.
 */
final class Relay {

    static final class User {
        final long id;
        final String name;
        /** Last pts issued; guarded by {@code this}. */
        long pts;
        /** Copy-on-write: fan-out iterates without a lock, logins and closes are rare. */
        final List<Outbox> outboxes = new CopyOnWriteArrayList<>();
        /** Per-user cache of direct conversations, so a send by peer name does not build a pair key. */
        final ConcurrentHashMap<String, Conv> directByPeer = new ConcurrentHashMap<>();

        User(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static final class Conv {
        final long id;
        final boolean group;
        /** Direct: the two users (possibly the same one twice). Group: creator first. */
        final User[] members;
        final Set<User> memberSet;
        /** Last seq issued; guarded by {@code this}. */
        long seq;

        Conv(long id, boolean group, User[] members) {
            this.id = id;
            this.group = group;
            this.members = members;
            this.memberSet = Set.of(new LinkedHashSet<>(List.of(members)).toArray(User[]::new));
        }

        User other(User u) {
            return members[0] == u ? members[1] : members[0];
        }
    }

    /**
     * One accepted send, from decode to delivery. The seq/pts fields are written by whoever issues
     * them (the loop in bare mode, the commit thread in durable mode) before delivery reads them.
     */
    static final class Pending {
        final User sender;
        final long senderDevice;
        final Outbox replyTo;
        final String requestId;
        final Conv conv;
        /** Everything but seq; built on the receiving loop so the commit thread does not have to. */
        final Message base;
        long seq;
        long senderPts;
        long senderPrev;
        long recipientPts;
        long recipientPrev;

        Pending(User sender, long senderDevice, Outbox replyTo, String requestId, Conv conv, Message base) {
            this.sender = sender;
            this.senderDevice = senderDevice;
            this.replyTo = replyTo;
            this.requestId = requestId;
            this.conv = conv;
            this.base = base;
        }

        ServerFrame ack() {
            return ServerFrame.newBuilder().setId(requestId).setSendAck(SendAck.newBuilder()
                    .setClientMsgId(base.getClientMsgId()).setConversationId(conv.id).setSeq(seq)
                    .setPts(senderPts).setPrevPts(senderPrev).setTsMs(base.getTsMs())).build();
        }

        /** The push; pts 0 for the shared group frame (one encoding cannot carry per-recipient pts). */
        ServerFrame push(long pts, long prevPts) {
            return ServerFrame.newBuilder().setUpdate(UpdatePush.newBuilder().setUpdate(Update.newBuilder()
                    .setPts(pts).setPrevPts(prevPts).setMessage(base.toBuilder().setSeq(seq)))).build();
        }

        ServerFrame directPush() {
            return push(recipientPts, recipientPrev);
        }
    }

    private final AtomicLong userIds = new AtomicLong();
    private final AtomicLong deviceIds = new AtomicLong();
    private final AtomicLong convIds = new AtomicLong();
    private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Conv> convs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Conv> directs = new ConcurrentHashMap<>();
    private final ByteBufAllocator alloc;

    Relay(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** The user with this name, created on first mention (register, login, a peer or group member). */
    User user(String name) {
        User u = users.get(name);
        return u != null ? u : users.computeIfAbsent(name, n -> new User(userIds.incrementAndGet(), n));
    }

    long nextDevice() {
        return deviceIds.incrementAndGet();
    }

    Conv conversation(long id) {
        return convs.get(id);
    }

    Conv direct(User a, String peerName) {
        Conv c = a.directByPeer.get(peerName);
        if (c != null) {
            return c;
        }
        User b = user(peerName);
        String key = a.id <= b.id ? a.name + '\0' + b.name : b.name + '\0' + a.name;
        c = directs.computeIfAbsent(key, k -> register(new Conv(convIds.incrementAndGet(), false, new User[] {a, b})));
        a.directByPeer.putIfAbsent(peerName, c);
        return c;
    }

    Conv createGroup(User creator, List<String> memberNames) {
        Set<User> members = new LinkedHashSet<>();
        members.add(creator);
        for (String n : memberNames) {
            members.add(user(n));
        }
        return register(new Conv(convIds.incrementAndGet(), true, members.toArray(User[]::new)));
    }

    private Conv register(Conv c) {
        convs.put(c.id, c);
        return c;
    }

    /** Bare mode, on the sender's loop: issue and hand over under the same monitors (see class doc). */
    void relayNow(Pending p) {
        Conv conv = p.conv;
        User a = p.sender;
        User b = conv.group ? a : conv.other(a);
        User lo = a.id <= b.id ? a : b;
        User hi = lo == a ? b : a;
        synchronized (conv) {
            synchronized (lo) {
                synchronized (hi) {
                    assign(p);
                    deliver(p, Outbox::put);
                }
            }
        }
    }

    /** Issues seq and pts. Group recipients get no pts: their push is one shared encoding. */
    void assign(Pending p) {
        Conv conv = p.conv;
        synchronized (conv) {
            p.seq = ++conv.seq;
        }
        User s = p.sender;
        synchronized (s) {
            p.senderPrev = s.pts;
            p.senderPts = ++s.pts;
        }
        if (!conv.group) {
            User r = conv.other(s);
            if (r != s) {
                synchronized (r) {
                    p.recipientPrev = r.pts;
                    p.recipientPts = ++r.pts;
                }
            }
        }
    }

    /** Who carries an item to an outbox: {@link Outbox#put} directly, or batched per event loop. */
    interface Handoff {
        void hand(Outbox to, Object item);
    }

    /** Ack to the sending connection, push to every connection of every other member. */
    void deliver(Pending p, Handoff h) {
        h.hand(p.replyTo, (Supplier<ServerFrame>) p::ack);
        Conv conv = p.conv;
        if (!conv.group) {
            User r = conv.other(p.sender);
            if (r != p.sender) {
                for (Outbox o : r.outboxes) {
                    h.hand(o, (Supplier<ServerFrame>) p::directPush);
                }
            }
            return;
        }
        // Fan-out: encode once, every binary recipient gets a retained duplicate of the same bytes.
        ServerFrame frame = p.push(0, 0);
        ByteBuf shared = null;
        try {
            for (User m : conv.members) {
                if (m == p.sender) {
                    continue;
                }
                for (Outbox o : m.outboxes) {
                    if (!o.binary()) {
                        h.hand(o, frame);
                        continue;
                    }
                    if (shared == null) {
                        shared = Outbox.encode(alloc, frame);
                    }
                    h.hand(o, shared.retainedDuplicate());
                }
            }
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
    }

    static Message.Builder baseMessage(User sender, long device, Conv conv) {
        return Message.newBuilder().setConversationId(conv.id).setSenderId(sender.id).setSenderName(sender.name)
                .setSenderDeviceId(device)
                .setConversationKind(conv.group ? ConversationKind.GROUP : ConversationKind.DIRECT);
    }
}
