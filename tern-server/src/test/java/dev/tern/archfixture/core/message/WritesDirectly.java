package dev.tern.archfixture.core.message;

/** Breaks rule 3: a feature holding the write side. */
public class WritesDirectly {
  dev.tern.archfixture.core.store.Store store;
  dev.tern.archfixture.core.ledger.CommitPipeline pipeline;
  dev.tern.archfixture.core.ledger.Sequencers sequencers;
}
