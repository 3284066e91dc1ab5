package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Send;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.SyncResult;
import dev.tern.protocol.v1.Update;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What clients sent and what the server acknowledged, and the check that the server agrees from every
 * member's view. A send's text starts with the tag {@code sender#n}, n counting that sender's sends, so
 * any view tells which send a message is and whether a sender's messages kept their order.
 */
final class Ledger {
    /** One send; {@code ack} is set when the server acknowledged it. */
    static final class Sent {
        final String sender;
        final int n;
        final String clientMsgId = UUID.randomUUID().toString();
        volatile SendAck ack;

        Sent(String sender, int n) {
            this.sender = sender;
            this.n = n;
        }
    }

    private final Map<String, Sent> byTag = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    private final List<CompletableFuture<SendAck>> pending = new ArrayList<>();
    private final LongAdder acked = new LongAdder();
    private final LongAdder duplicates = new LongAdder();

    /** Sends to a conversation. One thread per sender, so that the numbers follow the send order. */
    CompletableFuture<SendAck> send(TernClient client, String sender, long conversationId, int padding) {
        return send(client, sender, Send.newBuilder().setConversationId(conversationId), padding);
    }

    /** Sends to the direct chat with {@code peer}, creating it with the first message. */
    CompletableFuture<SendAck> sendTo(TernClient client, String sender, String peer) {
        return send(client, sender, Send.newBuilder().setPeer(peer), 0);
    }

    private CompletableFuture<SendAck> send(TernClient client, String sender, Send.Builder message, int padding) {
        Sent s = new Sent(sender, counters.computeIfAbsent(sender, k -> new AtomicInteger()).getAndIncrement());
        String tag = sender + "#" + s.n;
        byTag.put(tag, s);
        String text = padding == 0 ? tag : tag + "|" + "x".repeat(padding);
        CompletableFuture<SendAck> f = client.send(message.setClientMsgId(s.clientMsgId).setContentType("text/plain")
                .setText(text)).whenComplete((ack, error) -> {
                    if (ack != null) {
                        s.ack = ack;
                        acked.increment();
                        if (ack.getDuplicate()) {
                            duplicates.increment();
                        }
                    }
                });
        synchronized (pending) {
            pending.add(f);
        }
        return f;
    }

    long sent() {
        return byTag.size();
    }

    long acked() {
        return acked.sum();
    }

    /** Acks that answered a retry of a send already stored (its first ack was lost). */
    long duplicates() {
        return duplicates.sum();
    }

    /** Waits until every send so far is acknowledged; the SDK retries them until then. */
    void awaitAllAcked(Duration timeout) throws Exception {
        List<CompletableFuture<SendAck>> all;
        synchronized (pending) {
            all = new ArrayList<>(pending);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(acked()).isEqualTo(sent());
    }

    /**
     * Checks, from the view of each user in {@code clients} (a logged-in client of that user), every
     * conversation in {@code members} (its members by name):
     * <ul>
     *   <li>every member reads the same history; seq strictly increases; every acknowledged send is in it
     *       exactly once, at its ack's seq; nothing is in it that was not sent; with {@code senderOrder},
     *       each sender's messages are in the order they were sent;</li>
     *   <li>each user's update log, synced from pts 0: pts strictly increases and each entry's prev_pts is
     *       the entry before it; every ack's pts is the sender's entry for that message; every message of
     *       every conversation the user is in has exactly one entry.</li>
     * </ul>
     * Returns each user's log for further checks.
     */
    Map<String, List<Update>> verify(Map<String, TernClient> clients, Map<Long, Set<String>> members,
                                     boolean senderOrder) {
        List<String> problems = new ArrayList<>();
        Map<Long, List<Message>> timelines = new HashMap<>();
        for (Map.Entry<Long, Set<String>> c : members.entrySet()) {
            List<Message> first = null;
            for (String user : c.getValue()) {
                List<Message> view = ConversationIT.all(clients.get(user), c.getKey()).stream()
                        .filter(m -> !m.hasService()).toList();
                if (first == null) {
                    first = view;
                } else if (!view.equals(first)) {
                    problems.add(user + " reads another history of conversation " + c.getKey());
                }
            }
            timelines.put(c.getKey(), first);
            checkTimeline(c.getKey(), first, senderOrder, problems);
        }
        Map<String, List<Update>> logs = new HashMap<>();
        for (Map.Entry<String, TernClient> u : clients.entrySet()) {
            List<Update> log = syncAll(u.getValue());
            logs.put(u.getKey(), log);
            List<Message> expected = new ArrayList<>();
            members.forEach((conversation, names) -> {
                if (names.contains(u.getKey())) {
                    expected.addAll(timelines.get(conversation));
                }
            });
            checkLog(u.getKey(), log, expected, problems);
        }
        for (Sent s : byTag.values()) {
            if (s.ack != null && !members.containsKey(s.ack.getConversationId())) {
                problems.add(tag(s) + " was acknowledged in conversation " + s.ack.getConversationId() + ", not checked");
            }
        }
        assertThat(problems).as("problems (first 20)").isEmpty();
        return logs;
    }

    private void checkTimeline(long conversation, List<Message> timeline, boolean senderOrder, List<String> problems) {
        Map<Long, Message> bySeq = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> lastN = new HashMap<>();
        long lastSeq = 0;
        for (Message m : timeline) {
            if (m.getSeq() <= lastSeq) {
                report(problems, "conversation " + conversation + ": seq " + m.getSeq() + " after " + lastSeq);
            }
            lastSeq = m.getSeq();
            bySeq.put(m.getSeq(), m);
            String tag = tagOf(m);
            Sent s = byTag.get(tag);
            if (s == null || !s.clientMsgId.equals(m.getClientMsgId()) || !s.sender.equals(m.getSenderName())) {
                report(problems, "conversation " + conversation + ": seq " + m.getSeq() + " holds " + tag
                        + ", which was never sent");
                continue;
            }
            if (!seen.add(tag)) {
                report(problems, "conversation " + conversation + ": " + tag + " is stored twice");
            }
            Integer before = lastN.put(s.sender, s.n);
            if (senderOrder && before != null && before > s.n) {
                report(problems, "conversation " + conversation + ": " + tag + " comes after " + s.sender + "#" + before);
            }
        }
        for (Sent s : byTag.values()) {
            SendAck ack = s.ack;
            if (ack == null || ack.getConversationId() != conversation) {
                continue;
            }
            Message m = bySeq.get(ack.getSeq());
            if (m == null || !tagOf(m).equals(tag(s))) {
                report(problems, "conversation " + conversation + ": acknowledged " + tag(s) + " is not at its seq "
                        + ack.getSeq() + " (found " + (m == null ? "nothing" : tagOf(m)) + ")");
            }
        }
    }

    private void checkLog(String user, List<Update> log, List<Message> expected, List<String> problems) {
        Map<Long, Update> byPts = new HashMap<>();
        Map<String, Integer> entries = new HashMap<>();
        long lastPts = 0;
        for (Update u : log) {
            if (u.getPts() <= lastPts || u.getPrevPts() != lastPts) {
                report(problems, user + "'s log: pts " + u.getPts() + " (prev " + u.getPrevPts() + ") after " + lastPts);
            }
            lastPts = u.getPts();
            byPts.put(u.getPts(), u);
            if (u.hasMessage() && !u.getMessage().hasService()) {
                entries.merge(key(u.getMessage()), 1, Integer::sum);
            }
        }
        for (Message m : expected) {
            int n = entries.getOrDefault(key(m), 0);
            if (n != 1) {
                report(problems, user + "'s log has " + n + " entries for " + tagOf(m) + " at " + key(m));
            }
        }
        for (Sent s : byTag.values()) {
            SendAck ack = s.ack;
            if (ack == null || !s.sender.equals(user)) {
                continue;
            }
            Update u = byPts.get(ack.getPts());
            if (u == null || !u.hasMessage() || u.getMessage().getSeq() != ack.getSeq()
                    || u.getMessage().getConversationId() != ack.getConversationId()) {
                report(problems, user + "'s log lacks the entry of acknowledged " + tag(s) + " at pts " + ack.getPts());
            }
        }
    }

    /**
     * The live view: everything {@code recorder} received, pushed or synced by the SDK through every
     * reconnect, is in the log at its pts, once, in pts order, and every message from others after the
     * login is among it.
     */
    static void verifyLive(String user, Recorder recorder, List<Update> log, long loginPts) {
        Map<Long, Update> byPts = new HashMap<>();
        log.forEach(u -> byPts.put(u.getPts(), u));
        List<Long> expected = log.stream().filter(u -> u.getPts() > loginPts && u.hasMessage()
                && !u.getMessage().hasService() && !u.getMessage().getSenderName().equals(user)).map(Update::getPts).toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.updates)
                .extracting(Update::getPts).as(user + " received").containsAll(expected));
        // Pushes with pts 0 (delivered markers) are not log entries: the log view leaves them out.
        List<Update> live = recorder.updates.stream().filter(u -> u.getPts() != 0).toList();
        assertThat(live).extracting(Update::getPts).as(user + " received, in order").isSorted().doesNotHaveDuplicates();
        for (Update u : live) {
            assertThat(byPts.get(u.getPts())).as(user + " received pts " + u.getPts()).isEqualTo(u);
        }
    }

    /** The user's whole update log from pts 0, page by page. */
    static List<Update> syncAll(TernClient client) {
        List<Update> out = new ArrayList<>();
        long after = 0;
        while (true) {
            SyncResult page = get(client.sync(after, 500));
            out.addAll(page.getUpdatesList());
            if (!page.getMore()) {
                return out;
            }
            after = page.getPts();
        }
    }

    static String tagOf(Message m) {
        String text = m.getText();
        int bar = text.indexOf('|');
        return bar < 0 ? text : text.substring(0, bar);
    }

    private static String tag(Sent s) {
        return s.sender + "#" + s.n;
    }

    private static String key(Message m) {
        return m.getConversationId() + "/" + m.getSeq();
    }

    private static void report(Collection<String> problems, String problem) {
        if (problems.size() < 20) {
            problems.add(problem);
        }
    }
}
