package dev.tern.gateway;

import dev.tern.core.Principal;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ServerFrame;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Answers one kind of request with a future of its response body; the {@link Dispatcher} writes it
 * (or the error frame of the failure) with the request's id. A handler may throw a
 * {@link dev.tern.core.Failure} instead of returning a failed future: both take the same reply path.
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

    /** The body {@code value} (computed already), set by {@code setter}. */
    static <T> CompletableFuture<Reply> now(T value, BiConsumer<ServerFrame.Builder, T> setter) {
        return CompletableFuture.completedFuture(frame -> setter.accept(frame, value));
    }
}
