package dev.tern.archfixture.core.auth;

public record Principal(long userId) {}
