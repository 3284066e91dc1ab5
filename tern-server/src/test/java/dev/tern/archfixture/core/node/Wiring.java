package dev.tern.archfixture.core.node;

/** The composition root: may use every part of the core. */
public class Wiring {
  dev.tern.archfixture.core.message.Sender sender;
  dev.tern.archfixture.core.search.Search search;
  dev.tern.archfixture.core.presence.Presence presence;
  dev.tern.archfixture.core.ledger.LocalLedger ledger;
  dev.tern.archfixture.core.store.Store store;
  dev.tern.archfixture.core.admission.Admission admission;
  dev.tern.archfixture.core.limits.Limits limits;
}
