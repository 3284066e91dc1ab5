package dev.tern.bench.load;

import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Login;
import dev.tern.protocol.v1.Register;
import dev.tern.protocol.v1.Resume;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Session;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** Opens many authenticated generator connections, spread over several 127.0.0.x source addresses. */
public final class Fleet {
    /** A logged-in connection. */
    public record Account(String username, WsClient client, Session session) {}

    private static final int SOURCE_HOSTS = 16;
    private static final int CONCURRENT_SETUP = 256;

    private Fleet() {}

    public static String sourceHost(int i) {
        return "127.0.0." + (1 + i % SOURCE_HOSTS);
    }

    /** Registers (if new) and logs in users {@code prefix0..prefix(n-1)}, one connection each. */
    public static List<Account> login(WsClient.Pool pool, URI uri, String prefix, int n, boolean json,
                                      IntFunction<WsClient.PushListener> listeners) throws InterruptedException {
        Semaphore gate = new Semaphore(CONCURRENT_SETUP);
        List<CompletableFuture<Account>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gate.acquire();
            String name = prefix + i;
            CompletableFuture<Account> f = WsClient.connect(pool, uri, sourceHost(i), json, listeners.apply(i))
                    .thenCompose(c -> retrying(c, ClientFrame.newBuilder().setRegister(
                                    Register.newBuilder().setUsername(name).setPassword("bench-password")))
                            .thenCompose(r -> {
                                if (r.hasError() && r.getError().getCode() != ErrorCode.USERNAME_TAKEN) {
                                    throw new IllegalStateException("register " + name + ": " + r.getError());
                                }
                                return retrying(c, ClientFrame.newBuilder().setLogin(Login.newBuilder()
                                        .setUsername(name).setPassword("bench-password").setDeviceName("bench")));
                            })
                            .thenApply(s -> new Account(name, c, session(name, s))));
            f.whenComplete((a, e) -> gate.release());
            all.add(f);
        }
        List<Account> out = new ArrayList<>(n);
        for (CompletableFuture<Account> f : all) {
            out.add(f.join());
        }
        return out;
    }

    /** Opens a connection and resumes a ticket. */
    public static CompletableFuture<Account> resume(WsClient.Pool pool, URI uri, int index, String username,
                                                    String ticket, boolean json, WsClient.PushListener listener) {
        return WsClient.connect(pool, uri, sourceHost(index), json, listener)
                .thenCompose(c -> resumeOn(c, username, ticket));
    }

    /** Resumes a ticket on a connection that is open and not logged in. */
    public static CompletableFuture<Account> resumeOn(WsClient c, String username, String ticket) {
        return retrying(c, ClientFrame.newBuilder().setResume(Resume.newBuilder().setTicket(ticket)))
                .thenApply(s -> new Account(username, c, session(username, s)));
    }

    /**
     * A set-up request, sent again after retry_after_ms while the server refuses it as retryable
     * (OVERLOADED when hundreds of accounts register at once): set-up is not what is measured.
     */
    static CompletableFuture<ServerFrame> retrying(WsClient c, ClientFrame.Builder frame) {
        return c.request(frame.clone()).thenCompose(r -> {
            if (!r.hasError() || !r.getError().getRetryable()) {
                return CompletableFuture.completedFuture(r);
            }
            long wait = Math.max(10, r.getError().getRetryAfterMs());
            CompletableFuture<ServerFrame> later = new CompletableFuture<>();
            c.channel().eventLoop().schedule(() -> retrying(c, frame).whenComplete((x, e) -> {
                if (e != null) {
                    later.completeExceptionally(e);
                } else {
                    later.complete(x);
                }
            }), wait, java.util.concurrent.TimeUnit.MILLISECONDS);
            return later;
        });
    }

    private static Session session(String name, ServerFrame f) {
        if (!f.hasSession()) {
            throw new IllegalStateException("login/resume " + name + " failed: " + f);
        }
        return f.getSession();
    }
}
