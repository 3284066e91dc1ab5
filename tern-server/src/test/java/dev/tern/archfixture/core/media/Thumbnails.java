package dev.tern.archfixture.core.media;

/** Part of the media feature, not of the blob port. */
public class Thumbnails {}
