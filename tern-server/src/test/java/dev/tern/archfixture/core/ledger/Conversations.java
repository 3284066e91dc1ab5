package dev.tern.archfixture.core.ledger;

/** Breaks rule 2: the ledger reaching up to auth (as Tern's ledger does for Principal today). */
public class Conversations {
  dev.tern.archfixture.core.auth.Principal owner;
}
