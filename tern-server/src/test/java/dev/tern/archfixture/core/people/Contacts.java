package dev.tern.archfixture.core.people;

/** Breaks rules 1a and 2: people reaches up to message, closing a cycle. */
public class Contacts {
  dev.tern.archfixture.core.message.Sender backRef;
}
