package dev.tern.archfixture.core.blob;

/** The blob port. */
public interface BlobStore {}
