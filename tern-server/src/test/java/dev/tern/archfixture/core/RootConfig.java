package dev.tern.archfixture.core;

/** Breaks rule 1b: the root package uses a sub-package. */
public class RootConfig {
  dev.tern.archfixture.core.message.Sender sender;
}
