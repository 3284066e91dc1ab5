package dev.tern.gateway;

import dev.tern.core.node.Core;
import dev.tern.protocol.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The gateway's meters (names as Prometheus shows them): connections and sessions, frames, sends and
 * their ack latency, queueing delay, read pauses, refusals and goodbyes by code. Every meter is
 * created here once; hot paths only increment them. The node's other meters (commit pipeline,
 * store writes, search) are the server's (tern-server's NodeMetrics).
 */
final class GatewayMetrics {
    private final AtomicLong connections = new AtomicLong();
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter sends;
    private final Counter readPauses;
    private final Timer sendAck;
    private final Timer mailboxWait;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<ErrorCode, Counter> goodbyes = new EnumMap<>(ErrorCode.class);

    /** The gateway's meters, with the count of authenticated sessions read from {@code sessions}. */
    GatewayMetrics(MeterRegistry r, IntSupplier sessions) {
        this(r);
        Gauge.builder("tern.sessions", sessions, IntSupplier::getAsInt)
                .description("Authenticated WebSocket connections").register(r);
    }

    /** The gateway's own meters without the session count (a gateway with no core: the fuzz targets). */
    GatewayMetrics(MeterRegistry r) {
        Gauge.builder("tern.connections", connections, AtomicLong::get)
                .description("Open TCP connections (WebSocket and HTTP)").register(r);
        framesIn = Counter.builder("tern.frames.in").description("Protocol frames received").register(r);
        framesOut = Counter.builder("tern.frames.out").description("Protocol frames sent (responses and pushes)").register(r);
        readPauses = Counter.builder("tern.read.pauses")
                .description("Times a connection was not read for a while because it kept sending after OVERLOADED").register(r);
        sends = Counter.builder("tern.sends").description("Sends acknowledged (durable)").register(r);
        sendAck = Timer.builder("tern.send.ack").description("From a send frame's arrival to its ack (includes the fsync)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        mailboxWait = Timer.builder("tern.request.queue").description("Time a request waited in its connection's queue")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        for (ErrorCode c : ErrorCode.values()) {
            if (c == ErrorCode.ERROR_CODE_UNSPECIFIED || c == ErrorCode.UNRECOGNIZED) {
                continue;
            }
            errors.put(c, Counter.builder("tern.errors").tag("code", c.name())
                    .description("Error responses by code (refusals: overload, limits, bad input, authorization)").register(r));
            goodbyes.put(c, Counter.builder("tern.goodbyes").tag("reason", c.name())
                    .description("Connections closed by the server, by reason (SLOW_READER: slow-reader disconnects)").register(r));
        }
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void frameIn() {
        framesIn.increment();
    }

    void framesOut(int n) {
        framesOut.increment(n);
    }

    void readPaused() {
        readPauses.increment();
    }

    void sendAcked(long receivedNanos) {
        sends.increment();
        sendAck.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    void queued(long waitedNanos) {
        mailboxWait.record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    void error(ErrorCode code) {
        Counter c = errors.get(code);
        if (c != null) {
            c.increment();
        }
    }

    void goodbye(ErrorCode reason) {
        Counter c = goodbyes.get(reason);
        if (c != null) {
            c.increment();
        }
    }
}
