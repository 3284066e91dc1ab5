package dev.tern.core.group;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.Principal;
import dev.tern.core.ledger.Dedup;
import dev.tern.core.ledger.Inflight;
import dev.tern.core.ledger.Prepared;
import dev.tern.core.store.DedupRecord;
import dev.tern.core.store.Mutation;
import dev.tern.core.view.Committed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Retried creations (a group, a channel) make one conversation, like retried sends make one
 * message: a request carrying a {@code client_id} is remembered per (device, id) in the same dedup
 * records as sends, written in the creation's own batch, and a repeat gets the first {@code Ok}.
 * A device's sends and creations share one id space (the SDKs use random ids for both).
 *
 * <p>The lookup is made before ordering (creations are rare: a point read is cheap) and a repeat
 * arriving while the first is still in flight waits for the first's outcome, so two concurrent
 * repeats cannot both create.
 */
public final class Creations {
    private final Dedup dedup;
    private final Inflight<Dedup.Key, Committed> inflight;

    public Creations(Dedup dedup) {
        this.dedup = dedup;
        this.inflight = dedup.runs();
    }

    /** Runs {@code create} once per (device, clientId); an empty id means no deduplication. */
    CompletableFuture<Committed> once(Principal caller, String clientId, Supplier<CompletableFuture<Committed>> create) {
        if (clientId.isEmpty()) {
            return create.get();
        }
        if (clientId.length() > Dedup.MAX_ID) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "client_id must be at most 64 characters");
        }
        Dedup.Key key = new Dedup.Key(caller.deviceId(), clientId);
        CompletableFuture<Committed> mine = new CompletableFuture<>();
        CompletableFuture<Committed> earlier = inflight.join(key, mine);
        if (earlier != null) {
            return earlier;
        }
        try {
            CompletableFuture<Committed> result = dedup.prior(key)
                    .map(d -> CompletableFuture.completedFuture(priorCreation(d)))
                    .orElseGet(create);
            return inflight.settle(key, mine, result); // by then a created one's dedup record is durable
        } catch (RuntimeException e) {
            inflight.fail(key, mine, e);
            throw e;
        }
    }

    /**
     * The first answer of a creation. A record left by a send under the same id (its message carries
     * the id; a creation's service message does not) is the client reusing an id: refused rather than
     * answered with a message's numbers as if they were a conversation's.
     */
    private Committed priorCreation(DedupRecord d) {
        if (dedup.isSend(d)) {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "client_id was used for a message from this device; "
                    + "use a new id for each request");
        }
        return new Committed(d.conversationId(), d.seq(), d.pts(), d.prevPts());
    }

    /** Under the lock: the creation's batch, plus its dedup record when the request carried an id. */
    static Prepared<Committed> remembered(Principal caller, String clientId, Prepared<Committed> created, long now) {
        if (clientId.isEmpty()) {
            return created;
        }
        Committed ok = created.result();
        List<Mutation> batch = new ArrayList<>(created.mutations());
        batch.add(Dedup.remember(new Dedup.Key(caller.deviceId(), clientId), ok.conversationId(), ok.seq(),
                ok.pts(), ok.prevPts(), now));
        return new Prepared<>(batch, ok, created.afterDurable(), created.duplicate());
    }
}
