package dev.tern.gateway;

import io.netty.channel.Channel;

import java.util.concurrent.TimeUnit;

/**
 * The overload policy of one connection: it counts the connection's OVERLOADED answers. A client
 * that honours the hint stops sending once the first one reaches it; what it pipelined before that
 * is still answered one by one. A connection that draws more than {@link #REFUSALS_BEFORE_PAUSE}
 * refusals within one hint is not honouring it: it is not read for the rest of the hint (at most
 * {@link #MAX_READ_PAUSE_MS}), so TCP holds it back instead of the server spending a decode and a
 * refusal per frame while it is short of CPU.
 *
 * <p>Event loop only. Made on a connection's first refusal: most connections never need one.
 */
final class ReadThrottle {
    static final int MAX_READ_PAUSE_MS = 1000;
    static final int REFUSALS_BEFORE_PAUSE = 256;

    private long windowEnd;   // System.nanoTime() at the end of the hint the refusals count in
    private int refusals;     // refusals within that hint
    private long pausedUntil; // System.nanoTime() at the end of the latest pause
    private boolean paused;

    /**
     * Counts an OVERLOADED answer with hint {@code retryAfterMs}. When it starts a pause,
     * {@code readsChanged} runs (the connection stops reading), and again when the pause ends.
     */
    void refused(int retryAfterMs, Channel ch, GatewayMetrics metrics, Runnable readsChanged) {
        long pauseMs = count(retryAfterMs, System.nanoTime());
        if (pauseMs > 0) {
            metrics.readPaused();
            readsChanged.run();
            ch.eventLoop().schedule(() -> {
                if (resume(System.nanoTime())) {
                    readsChanged.run();
                }
            }, pauseMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Counts a refusal; returns how long to stop reading (ms) when this one starts a pause, else 0. */
    long count(int retryAfterMs, long now) {
        long ms = Math.clamp(retryAfterMs, 1, MAX_READ_PAUSE_MS);
        if (windowEnd == 0 || now - windowEnd > 0) {
            windowEnd = now + ms * 1_000_000;
            refusals = 0;
        }
        if (++refusals <= REFUSALS_BEFORE_PAUSE || paused) {
            return 0;
        }
        long pause = Math.max(1, (windowEnd - now) / 1_000_000);
        pausedUntil = now + pause * 1_000_000;
        paused = true;
        return pause;
    }

    /** A pause's timer fired: true when that ended the pause (a later pause has its own timer). */
    boolean resume(long now) {
        if (!paused || now - pausedUntil < 0) {
            return false;
        }
        paused = false;
        return true;
    }

    boolean paused() {
        return paused;
    }
}
