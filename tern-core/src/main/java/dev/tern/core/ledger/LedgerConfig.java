package dev.tern.core.ledger;

/**
 * The write kernel's tunables, validated on construction.
 *
 * @param sequenceStep       how far a sequencer's persisted bound is raised at a time
 * @param maxBatchMutations  soft cap on mutations merged into one group commit
 * @param broadcastThreshold a group with more members than this is fanned out on read
 */
public record LedgerConfig(int sequenceStep, int maxBatchMutations, int broadcastThreshold) {
    public LedgerConfig {
        require(sequenceStep >= 1 && sequenceStep <= 1_000_000, "sequenceStep must be 1..1000000");
        require(maxBatchMutations >= 1, "maxBatchMutations must be positive");
        require(broadcastThreshold >= 2 && broadcastThreshold <= 100_000, "broadcastThreshold must be 2..100000");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
