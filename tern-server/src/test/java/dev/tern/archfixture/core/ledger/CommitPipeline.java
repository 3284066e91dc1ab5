package dev.tern.archfixture.core.ledger;

public class CommitPipeline {
  dev.tern.archfixture.core.store.Store store;
}
