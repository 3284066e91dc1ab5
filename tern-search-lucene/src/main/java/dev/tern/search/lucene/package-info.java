/**
 * The embedded message index on Apache Lucene: the {@link dev.tern.core.search.SearchIndex} port.
 *
 * <p>Invariants:
 * <ul>
 *   <li>One document per (conversation, seq), replaced as a whole under one exact key term, so an
 *       edit never leaves the old words findable once it is applied.</li>
 *   <li>Only the words are indexed, never stored: the index holds no message content that could
 *       outlive a recall or an edit in a readable form, and results are rendered from the store.</li>
 *   <li>Queries are assembled from analysed words as term queries (all must match) and numeric
 *       filters; there is no query parser, so no input text can fail to parse.</li>
 *   <li>A commit carries the indexer's checkpoint in its user data; what was not committed is lost
 *       on a crash (and on close, which rolls back) and is replayed from the store's backlog.</li>
 * </ul>
 */
package dev.tern.search.lucene;
