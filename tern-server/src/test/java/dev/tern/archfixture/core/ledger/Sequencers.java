package dev.tern.archfixture.core.ledger;

public class Sequencers {}
