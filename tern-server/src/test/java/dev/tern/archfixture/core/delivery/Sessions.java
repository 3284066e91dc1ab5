package dev.tern.archfixture.core.delivery;

public class Sessions {
  dev.tern.archfixture.core.ledger.Ledger ledger;
}
