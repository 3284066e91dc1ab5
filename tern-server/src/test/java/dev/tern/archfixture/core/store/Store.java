package dev.tern.archfixture.core.store;

public interface Store extends StoreReads {}
