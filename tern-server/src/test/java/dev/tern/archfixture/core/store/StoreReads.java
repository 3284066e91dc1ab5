package dev.tern.archfixture.core.store;

public interface StoreReads {}
