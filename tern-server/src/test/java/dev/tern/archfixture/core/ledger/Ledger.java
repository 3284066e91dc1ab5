package dev.tern.archfixture.core.ledger;

public interface Ledger {}
