package dev.tern.archfixture.store.rocksdb;

public class RocksStore implements dev.tern.archfixture.core.store.Store {}
