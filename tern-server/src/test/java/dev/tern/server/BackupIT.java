package dev.tern.server;

import dev.tern.client.TernClient;
import dev.tern.protocol.v1.HistoryResult;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.SendAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online backup over the admin endpoint while a client keeps sending, then a restore: a new node
 * started on the backup holds every message acknowledged before the backup was requested, exactly
 * once and in order, and carries on numbering above them.
 */
class BackupIT {
    private static final String TOKEN = "test-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> post(TernServer server, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBackupTakenUnderLoadRestoresEverythingAcknowledgedBeforeIt() throws Exception {
        Path live = dir.resolve("live");
        Path backups = dir.resolve("backups");
        Map<String, String> admin = Map.of("admin.token", TOKEN, "backup.path", backups.toString());
        Map<Long, String> ackedBeforeBackup = new ConcurrentHashMap<>();
        long conversation;
        Path backup;
        try (TestNode node = TestNode.start(live, admin)) {
            TernClient bob = node.user("bob", new Recorder());
            TernClient alice = node.user("alice", new Recorder());
            conversation = get(alice.sendTextTo("bob", "m0")).getConversationId();
            for (int i = 1; i < 200; i++) {
                SendAck a = get(alice.sendText(conversation, "m" + i));
                ackedBeforeBackup.put(a.getSeq(), "m" + i);
            }
            // Keep sending during the backup; what is acked before the request goes out must be in it.
            AtomicBoolean requested = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 200; !stop.get(); i++) {
                    String text = "m" + i;
                    SendAck a = get(alice.sendText(conversation, text));
                    if (!requested.get()) {
                        ackedBeforeBackup.put(a.getSeq(), text);
                    }
                }
            });
            Thread.sleep(200);

            assertThat(post(node.server, "/admin/backup", null).statusCode()).isEqualTo(401);
            assertThat(post(node.server, "/admin/backup", "wrong-token-wrong-token").statusCode()).isEqualTo(401);
            requested.set(true);
            HttpResponse<String> ok = post(node.server, "/admin/backup", TOKEN);
            stop.set(true);
            sender.join();
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            Matcher m = Pattern.compile("\"path\":\"([^\"]+)\"").matcher(ok.body());
            assertThat(m.find()).isTrue();
            backup = Path.of(m.group(1));
            assertThat(backup.getParent()).isEqualTo(backups.toAbsolutePath());
            assertThat(Files.list(backup).map(p -> p.getFileName().toString())).contains("CURRENT");
            bob.close();
            alice.close();
        }

        // Restore = start a node whose data directory is the backup.
        try (TestNode restored = TestNode.start(backup)) {
            TernClient bob = restored.user("bob", new Recorder());
            List<Message> all = new ArrayList<>();
            long before = 0;
            while (true) {
                HistoryResult page = get(bob.history(conversation, before, 200));
                all.addAll(page.getMessagesList());
                if (!page.getMore() || page.getMessagesCount() == 0) {
                    break;
                }
                before = page.getMessages(page.getMessagesCount() - 1).getSeq();
            }
            Map<Long, String> restoredBySeq = new HashMap<>();
            for (Message msg : all) {
                assertThat(restoredBySeq.put(msg.getSeq(), msg.getText())).as("seq %d twice", msg.getSeq()).isNull();
            }
            assertThat(restoredBySeq).containsAllEntriesOf(ackedBeforeBackup);
            // Texts are in send order along seq, with no repeats.
            List<Long> seqs = restoredBySeq.keySet().stream().sorted().toList();
            List<Integer> numbers = seqs.stream().map(s -> restoredBySeq.get(s)).filter(t -> t.startsWith("m"))
                    .map(t -> Integer.parseInt(t.substring(1))).toList();
            assertThat(numbers).isSorted().doesNotHaveDuplicates();
            long newest = seqs.getLast();
            SendAck next = get(bob.sendText(conversation, "after restore"));
            assertThat(next.getSeq()).isGreaterThan(newest);
            bob.close();
        }
    }

    @Test
    void withoutATokenTheAdminEndpointsDoNotExist() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            // Without admin.token only the public GET/HEAD endpoints exist.
            assertThat(post(node.server, "/admin/backup", "anything-at-all-123").statusCode()).isEqualTo(405);
            URI uri = URI.create("http://127.0.0.1:" + node.server.address().getPort() + "/admin/backup");
            assertThat(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
            assertThat(Files.exists(dir.resolve("backups"))).isFalse();
        }
    }
}
