package dev.tern.archfixture.core.store;

public record MediaRecord(String id) {}
