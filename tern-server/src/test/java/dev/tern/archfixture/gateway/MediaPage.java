package dev.tern.archfixture.gateway;

/** Breaks rule 6: the edge taking a store record for media. */
public class MediaPage {
  dev.tern.archfixture.core.store.MediaRecord record;
}
