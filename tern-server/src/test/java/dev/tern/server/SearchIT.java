package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.SearchMessages;
import dev.tern.protocol.v1.SearchResult;
import dev.tern.protocol.v1.SendAck;
import dev.tern.protocol.v1.UserRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tern.server.MessageOpsIT.refused;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Full-text search through the front door: a real server, its RocksDB store and Lucene index on a
 * temp dir, the SDK over real sockets. The index is fed after durability, off the send path, so a
 * test first waits until a message it expects is found; then the index has taken everything sent
 * before it (it is fed in commit order) and an absence means something.
 */
class SearchIT {
    @TempDir
    Path dir;

    final AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);
    final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());

    static SearchMessages.Builder q(String text) {
        return SearchMessages.newBuilder().setQuery(text);
    }

    static List<String> texts(TernClient c, SearchMessages.Builder req) {
        return get(c.searchMessages(req.build())).getMessagesList().stream().map(Message::getText).toList();
    }

    /** Waits until {@code c}'s search for {@code req} answers exactly {@code expected}, newest first. */
    static void eventually(TernClient c, SearchMessages.Builder req, String... expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(texts(c, req)).containsExactly(expected));
    }

    @Test
    void findsWhatTheCallerCanReadAndNothingElse() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder());
                 TernClient carol = node.user("carol", new Recorder()); TernClient dave = node.user("dave", new Recorder())) {
                tick(alice.sendTextTo("bob", "Apple pie tonight?"));
                tick(bob.sendTextTo("alice", "apple JUICE is better"));
                long group = get(alice.createGroup("fruit", List.of("carol"))).getConversationId();
                tick(alice.sendText(group, "apple tart for the café"));
                tick(carol.sendTextTo("dave", "the apple secret"));
                tick(alice.send(dev.tern.protocol.v1.Send.newBuilder().setConversationId(group)
                        .setContentType("application/octet-stream")
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("apple bytes"))));

                // Own and others' messages in shared conversations, newest first; words in any case.
                eventually(alice, q("APPLE"), "apple tart for the café", "apple JUICE is better", "Apple pie tonight?");
                eventually(dave, q("apple"), "the apple secret");
                assertThat(texts(bob, q("apple"))).containsExactly("apple JUICE is better", "Apple pie tonight?");
                assertThat(texts(carol, q("apple"))).containsExactly("the apple secret", "apple tart for the café");
                // Every word must occur; accents fold; binary data is not searched.
                assertThat(texts(alice, q("apple juice"))).containsExactly("apple JUICE is better");
                assertThat(texts(alice, q("cafe"))).containsExactly("apple tart for the café");
                assertThat(texts(alice, q("bytes"))).isEmpty();
                // Query syntax is plain text: operators and stray quotes are just words or nothing.
                assertThat(texts(alice, q("apple AND \"pie"))).isEmpty();
                assertThat(texts(alice, q("pie* (apple"))).containsExactly("Apple pie tonight?");
                assertThat(texts(alice, q("!!! ---"))).isEmpty();
                // Service messages (the group's creation) are not searchable either.
                assertThat(texts(carol, q("fruit"))).isEmpty();

                // Results carry the message as history shows it.
                Message hit = get(alice.searchMessages(q("tart").build())).getMessages(0);
                assertThat(hit.getConversationId()).isEqualTo(group);
                assertThat(hit.getSenderName()).isEqualTo("alice");
                assertThat(hit.getConversationKind()).isEqualTo(dev.tern.protocol.v1.ConversationKind.GROUP);
            }
        }
    }

    @Test
    void aMemberFindsOnlyWhatWasSentSinceTheyJoined() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                long group = get(alice.createGroup("g", List.of())).getConversationId();
                tick(alice.sendText(group, "banana early"));
                get(alice.addMember(group, "bob", Role.MEMBER));
                tick(alice.sendText(group, "banana late"));
                eventually(alice, q("banana"), "banana late", "banana early");
                assertThat(texts(bob, q("banana"))).containsExactly("banana late");
                assertThat(texts(bob, q("banana").setConversationId(group))).containsExactly("banana late");
            }
        }
    }

    @Test
    void filtersByConversationSenderAndDate() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                long direct = tick(alice.sendTextTo("bob", "cherry one")).getConversationId();
                long t1 = nowMs.get();
                tick(bob.sendText(direct, "cherry two"));
                long group = get(alice.createGroup("g", List.of("bob"))).getConversationId();
                long t2 = nowMs.get();
                tick(bob.sendText(group, "cherry three"));
                long t3 = nowMs.get();
                tick(alice.sendText(group, "cherry four"));
                eventually(alice, q("cherry"), "cherry four", "cherry three", "cherry two", "cherry one");

                assertThat(texts(alice, q("cherry").setConversationId(group))).containsExactly("cherry four", "cherry three");
                assertThat(texts(alice, q("cherry").setConversationId(direct))).containsExactly("cherry two", "cherry one");
                long bobId = get(bob.history(direct, 0, 1)).getMessages(0).getSenderId();
                assertThat(texts(alice, q("cherry").setSenderId(bobId))).containsExactly("cherry three", "cherry two");
                assertThat(texts(alice, q("cherry").setSenderUsername("BOB"))).containsExactly("cherry three", "cherry two");
                assertThat(texts(alice, q("cherry").setSenderUsername("nobody_here"))).isEmpty();
                // from_ms inclusive, to_ms exclusive.
                assertThat(texts(alice, q("cherry").setFromMs(t1).setToMs(t3))).containsExactly("cherry three", "cherry two");
                assertThat(texts(alice, q("cherry").setFromMs(t2))).containsExactly("cherry four", "cherry three");
                assertThat(texts(alice, q("cherry").setToMs(t1))).containsExactly("cherry one");
                assertThat(texts(alice, q("cherry").setConversationId(group).setSenderUsername("alice").setFromMs(t2)))
                        .containsExactly("cherry four");
            }
        }
    }

    @Test
    void pagesNewestFirstWithoutDuplicatesOrGaps() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                long direct = get(alice.sendTextTo("bob", "hello")).getConversationId();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    // Every third message shares its timestamp with the one before: seq breaks the tie.
                    if (i % 3 != 0) {
                        nowMs.addAndGet(1000);
                    }
                    get((i % 2 == 0 ? alice : bob).sendText(direct, "durian " + i));
                    sent.addFirst("durian " + i);
                }
                eventually(alice, q("durian").setLimit(100), sent.toArray(String[]::new));

                List<String> paged = new ArrayList<>();
                String cursor = "";
                int pages = 0;
                while (true) {
                    SearchResult page = get(bob.searchMessages(q("durian").setLimit(10).setCursor(cursor).build()));
                    pages++;
                    page.getMessagesList().forEach(m -> paged.add(m.getText()));
                    if (!page.getMore()) {
                        break;
                    }
                    assertThat(page.getMessagesCount()).isEqualTo(10);
                    cursor = page.getNextCursor();
                }
                assertThat(pages).isEqualTo(3);
                assertThat(paged).containsExactlyElementsOf(sent);
                // The default page is 20.
                SearchResult first = get(alice.searchMessages("durian"));
                assertThat(first.getMessagesCount()).isEqualTo(20);
                assertThat(first.getMore()).isTrue();
                refused(alice.searchMessages(q("durian").setCursor("not a cursor").build()), ErrorCode.INVALID_ARGUMENT);
            }
        }
    }

    @Test
    void editsRecallsAndDeletesForMeChangeWhatIsFound() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
                SendAck edited = tick(alice.sendTextTo("bob", "meet at the elm tree"));
                long direct = edited.getConversationId();
                SendAck recalled = tick(alice.sendText(direct, "elm secret plan"));
                SendAck hidden = tick(bob.sendText(direct, "elm for bob only"));
                eventually(alice, q("elm"), "elm for bob only", "elm secret plan", "meet at the elm tree");

                get(alice.editText(direct, edited.getSeq(), "meet at the oak tree"));
                get(alice.recall(direct, recalled.getSeq()));
                get(alice.deleteForMe(direct, List.of(hidden.getSeq())));
                eventually(bob, q("oak"), "meet at the oak tree");
                Message shown = get(bob.searchMessages("oak")).getMessages(0);
                assertThat(shown.getEditedAtMs()).isPositive();
                // The old word of the edit, the recalled message and alice's hidden one are gone for alice;
                // bob still finds the message alice deleted for herself only.
                assertThat(texts(alice, q("elm"))).isEmpty();
                assertThat(texts(bob, q("elm"))).containsExactly("elm for bob only");
                assertThat(texts(bob, q("secret"))).isEmpty();
            }
        }
    }

    @Test
    void aRemovedOrLeavingMemberStopsFindingTheGroupAndGetsNotMember() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient olga = node.user("olga", new Recorder()); TernClient rex = node.user("rex", new Recorder());
                 TernClient mia = node.user("mia", new Recorder())) {
                long group = get(olga.createGroup("plans", List.of("rex", "mia"))).getConversationId();
                tick(olga.sendText(group, "fig before"));
                eventually(rex, q("fig"), "fig before");
                eventually(mia, q("fig").setConversationId(group), "fig before");

                get(olga.removeMember(group, "rex"));
                get(mia.leave(group));
                tick(olga.sendText(group, "fig after"));
                eventually(olga, q("fig"), "fig after", "fig before");
                for (TernClient gone : List.of(rex, mia)) {
                    assertThat(texts(gone, q("fig"))).isEmpty();
                    // Searching a conversation you left answers like one that does not exist.
                    refused(gone.searchMessages(q("fig").setConversationId(group).build()), ErrorCode.NOT_MEMBER);
                    refused(gone.searchMessages(q("fig").setConversationId(group + 1000).build()), ErrorCode.NOT_MEMBER);
                }
            }
        }
    }

    @Test
    void badInputIsInvalidArgument() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            try (TernClient alice = node.user("alice", new Recorder())) {
                for (SearchMessages.Builder bad : List.of(q(""), q("   "), q("x".repeat(257)), q("ok").setLimit(101),
                        q("ok").setFromMs(5).setToMs(5), q("ok").setFromMs(10).setToMs(5), q("ok").setFromMs(-1))) {
                    refused(alice.searchMessages(bad.build()), ErrorCode.INVALID_ARGUMENT);
                }
                assertThat(get(alice.searchMessages(q("x".repeat(256)).build())).getMessagesList()).isEmpty();
                refused(alice.searchUsers("a", 10), ErrorCode.INVALID_ARGUMENT);
                refused(alice.searchUsers("@", 10), ErrorCode.INVALID_ARGUMENT);
                refused(alice.searchUsers("x".repeat(33), 10), ErrorCode.INVALID_ARGUMENT);
                refused(alice.searchUsers("al", 51), ErrorCode.INVALID_ARGUMENT);
            }
        }
    }

    @Test
    void findsUsersByNamePrefix() {
        try (TestNode node = TestNode.start(dir, Map.of(), clock)) {
            for (String name : List.of("anna", "annabel", "anne_marie", "anton", "bob")) {
                node.user(name, new Recorder()).close();
            }
            try (TernClient bob = node.user("bob", new Recorder())) {
                assertThat(names(get(bob.searchUsers("ann", 0)).getUsersList()))
                        .containsExactly("anna", "annabel", "anne_marie");
                assertThat(names(get(bob.searchUsers("@ANNA", 0)).getUsersList())).containsExactly("anna", "annabel");
                var two = get(bob.searchUsers("an", 2));
                assertThat(names(two.getUsersList())).containsExactly("anna", "annabel");
                assertThat(two.getMore()).isTrue();
                assertThat(get(bob.searchUsers("an", 4)).getMore()).isFalse();
                assertThat(get(bob.searchUsers("zz", 0)).getUsersList()).isEmpty();
                assertThat(get(bob.searchUsers("a-", 0)).getUsersList()).isEmpty();
                assertThat(two.getUsers(0).getUserId()).isPositive();
            }
        }
    }

    @Test
    void theIndexSurvivesARestartAndIsRebuiltWhenDeleted() throws Exception {
        long direct;
        try (TestNode node = TestNode.start(dir, Map.of(), clock);
             TernClient alice = node.user("alice", new Recorder()); TernClient bob = node.user("bob", new Recorder())) {
            direct = tick(alice.sendTextTo("bob", "grape soda")).getConversationId();
            tick(bob.sendText(direct, "grape jam"));
            eventually(alice, q("grape"), "grape jam", "grape soda");
        }
        // A clean restart: the committed index is used as it is.
        try (TestNode node = TestNode.start(dir, Map.of(), clock); TernClient alice = node.user("alice", new Recorder())) {
            assertThat(texts(alice, q("grape"))).containsExactly("grape jam", "grape soda");
            assertThat(node.server.core().indexer().rebuilding()).isFalse();
        }
        // The index lost (deleted while stopped): it is rebuilt from the store.
        Path index = dir.resolve("search");
        assertThat(index).isDirectory();
        try (var files = java.nio.file.Files.walk(index)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (TestNode node = TestNode.start(dir, Map.of(), clock); TernClient bob = node.user("bob", new Recorder())) {
            eventually(bob, q("grape"), "grape jam", "grape soda");
            eventually(bob, q("jam").setConversationId(direct), "grape jam");
        }
    }

    /** Sends, then moves the clock on a second so that every message has its own timestamp. */
    private <T> T tick(java.util.concurrent.CompletableFuture<T> f) {
        T out = get(f);
        nowMs.addAndGet(1000);
        return out;
    }

    static List<String> names(List<UserRef> users) {
        return users.stream().map(UserRef::getUsername).toList();
    }
}
