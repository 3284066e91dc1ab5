package dev.tern.store.testkit;

import dev.tern.core.store.Store;

/** What the contract interfaces need from the test class: the store under test and a way to restart it. */
public interface StoreFixture {

    /** The open store under test. */
    Store store();

    /** Closes the store under test, opens a new one on the same directory and makes it the store under test. */
    Store reopen();
}
