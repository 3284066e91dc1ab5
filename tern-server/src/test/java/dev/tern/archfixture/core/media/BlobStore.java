package dev.tern.archfixture.core.media;

/** The blob port, still in media as in Tern today. */
public interface BlobStore {}
