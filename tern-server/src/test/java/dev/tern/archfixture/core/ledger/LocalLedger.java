package dev.tern.archfixture.core.ledger;

public class LocalLedger implements Ledger {}
