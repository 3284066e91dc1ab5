package dev.tern.archfixture.core.message;

/** Uses only what it may: lower features, the read side, a record. */
public class Sender {
  dev.tern.archfixture.core.group.Groups groups;
  dev.tern.archfixture.core.people.Contacts contacts;
  dev.tern.archfixture.core.media.Thumbnails thumbnails;
  dev.tern.archfixture.core.store.StoreReads reads;
  dev.tern.archfixture.core.store.MessageRecord record;
  dev.tern.archfixture.core.ledger.Ledger ledger;
}
