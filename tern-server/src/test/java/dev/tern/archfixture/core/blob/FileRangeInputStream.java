package dev.tern.archfixture.core.blob;

public class FileRangeInputStream {}
