package dev.tern.gateway;

import dev.tern.core.Principal;
import dev.tern.core.view.Committed;
import dev.tern.gateway.wire.Pushes;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.Ok;
import dev.tern.protocol.v1.ServerFrame;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Answers one kind of request with a future of its response body; the {@link Dispatcher} writes it
 * (or the error frame of the failure) with the request's id. A handler may throw a
 * refusal ({@link dev.tern.core.Failure}, {@link dev.tern.gateway.wire.Refused}) instead of returning a
 * failed future: both take the same reply path.
 */
@FunctionalInterface
interface Handler {

    /** One request as a handler sees it. */
    record Call(Connection conn, Principal principal, ClientFrame frame, boolean limitsCharged, long receivedNanos) {}

    /** Sets the response's body on the frame being built. */
    @FunctionalInterface
    interface Reply {
        void into(ServerFrame.Builder frame);
    }

    CompletableFuture<Reply> handle(Call call);

    /** The body {@code value}, set by {@code setter}, once {@code future} completes. */
    static <T> CompletableFuture<Reply> later(CompletableFuture<T> future, BiConsumer<ServerFrame.Builder, T> setter) {
        return future.thenApply(value -> frame -> setter.accept(frame, value));
    }

    /** An {@code ok} body with what the change left for its caller, once it is durable. */
    static CompletableFuture<Reply> committed(CompletableFuture<Committed> future) {
        return later(future, (frame, c) -> frame.setOk(Pushes.ok(c)));
    }

    /** An empty {@code ok} body, now. */
    static CompletableFuture<Reply> done() {
        return CompletableFuture.completedFuture(frame -> frame.setOk(Ok.getDefaultInstance()));
    }

    /** The body {@code value} (computed already), set by {@code setter}. */
    static <T> CompletableFuture<Reply> now(T value, BiConsumer<ServerFrame.Builder, T> setter) {
        return CompletableFuture.completedFuture(frame -> setter.accept(frame, value));
    }
}
