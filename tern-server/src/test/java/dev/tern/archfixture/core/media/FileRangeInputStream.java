package dev.tern.archfixture.core.media;

public class FileRangeInputStream {}
