package dev.tern.archfixture.search.lucene;

public class LuceneIndex {}
