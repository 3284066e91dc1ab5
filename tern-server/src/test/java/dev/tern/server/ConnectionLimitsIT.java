package dev.tern.server;

import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tern.server.BadInputIT.parse;
import static dev.tern.server.TestNode.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionLimitsIT {
    @TempDir
    Path dir;

    // Slow readers: GoodbyeIT (a client that reads nothing gets its goodbye and loses nothing).

    @Test
    void idleConnectionsAreClosedWhileHeartbeatingClientsStay() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("timeouts.idle", "1s"))) {
            ClientOptions pinging = new ClientOptions(node.uri(), true, Duration.ofSeconds(5), false, Duration.ofMillis(250));
            Recorder r = new Recorder();
            TernClient alive = TernClient.connect(pinging, r).get(10, TimeUnit.SECONDS);
            get(alive.register("alive", "password-alive"));
            get(alive.login("alive", "password-alive", ""));
            try (RawSocket silent = RawSocket.json(node.uri())) {
                ServerFrame bye = parse(silent.next());
                assertThat(bye.getGoodbye().getReason()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
                assertThat(silent.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4000 + ErrorCode.IDLE_TIMEOUT_VALUE);
            }
            Thread.sleep(2500);
            assertThat(r.goodbyes).isEmpty();
            assertThat(get(alive.sync(0, 1)).getMore()).isFalse();
            alive.close();
        }
    }
}
