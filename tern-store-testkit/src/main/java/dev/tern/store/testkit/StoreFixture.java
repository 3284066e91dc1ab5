package dev.tern.store.testkit;

import dev.tern.core.store.Store;
import org.junit.jupiter.api.Assumptions;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the contract interfaces need from the test class: the store under test, a way to restart it,
 * and what it can promise beyond the common contract.
 */
public interface StoreFixture {

    /** A promise that only some stores can keep; a contract test that needs one says so. */
    enum Capability {
        /**
         * What a write stored outlives the store: {@link #reopen()} finds it. An in-memory store lacks
         * this; for it the contract checks everything else of the same tests (atomicity, a closed
         * store refusing calls), and the tests that are about surviving a restart alone are reported
         * as skipped with this reason: everythingSurvivesCloseAndReopen,
         * aReopenedStoreContinuesWhereItLeftOff and theTimeIndexesSurviveARestart. Crash and backup tests are store-specific (the
         * embedded store's own test classes), since only a store with files can be crashed or copied.
         */
        DURABLE
    }

    /** The open store under test. */
    Store store();

    /**
     * Closes the store under test, opens a new one on the same directory and makes it the store under
     * test. Only for stores that are {@link Capability#DURABLE}.
     */
    Store reopen();

    /** What the store under test can promise; every capability unless the test class says otherwise. */
    default Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    default boolean can(Capability capability) {
        return capabilities().contains(capability);
    }

    /** Ends the current test as skipped, naming the capability, when the store under test lacks it. */
    default void requires(Capability capability) {
        Assumptions.assumeTrue(can(capability), () -> "skipped: this store is not " + capability
                + " (its data ends with the instance), and this test is about what a restart keeps");
    }
}
