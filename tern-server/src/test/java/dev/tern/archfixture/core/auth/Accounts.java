package dev.tern.archfixture.core.auth;

/** Breaks rule 2 (uses node) and rule 3 (holds the local ledger). */
public class Accounts {
  dev.tern.archfixture.core.ledger.Ledger ledger;
  dev.tern.archfixture.core.ledger.LocalLedger local;
  dev.tern.archfixture.core.node.Wiring wiring;
}
