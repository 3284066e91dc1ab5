package dev.tern.core.tests;

import dev.tern.core.Principal;
import org.junit.jupiter.api.AfterEach;

/**
 * A fresh core per test with two users, alice and bob, each on one device; the kernel is stopped
 * after the test (and the commit gate opened, should a failed test have left it closed).
 */
abstract class CoreTestBase {
    CoreFixture fx = fixture();
    final Principal alice = fx.user("alice");
    final Principal bob = fx.user("bob");

    /** The core to test; override for another configuration (called while the test is constructed). */
    CoreFixture fixture() {
        return CoreFixture.start();
    }

    @AfterEach
    void stopCore() {
        fx.gate.open();
        fx.close();
    }
}
