package dev.tern.archfixture.core.store;

public record MessageRecord(long seq) {}
