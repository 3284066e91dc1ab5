package dev.tern.core.tests;

import dev.tern.core.Await;
import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** The code of a refusal, whether the core throws it at once or fails the returned future with it. */
final class Refusals {
    private Refusals() {}

    static ErrorCode codeOf(Callable<?> call) {
        return failureOf(call).code();
    }

    static Failure failureOf(Callable<?> call) {
        Object result;
        try {
            result = call.call();
            if (result instanceof CompletableFuture<?> f) {
                result = Await.result(f);
            }
        } catch (Failure f) {
            return f;
        } catch (Exception e) {
            throw new AssertionError("expected a Failure, got " + e, e);
        }
        throw new AssertionError("expected a refusal, got " + result);
    }
}
