/**
 * Full-text search over messages and prefix search over usernames.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The index is derived data: the store is the truth. Search results are rendered from the
 *       message as the store holds it now, so an edit shows at once and an index entry that is
 *       behind (an edit or recall not yet indexed) never shows content the store no longer has.</li>
 *   <li>Authorization is decided here, not in the index: a caller gets hits only in conversations
 *       they are a member of now, only at seq {@code >= joinedSeq}, and never a message they
 *       deleted for themselves. A conversation filter the caller is not in answers NOT_MEMBER, the
 *       answer a missing conversation gets.</li>
 *   <li>Searchable are the text messages of direct chats and groups: not service messages, not
 *       binary data, not recalled messages.</li>
 *   <li>Every durable batch that writes a message record also writes a search backlog entry for
 *       it, atomically ({@link dev.tern.core.ledger.WriteTap}). The indexer removes
 *       backlog entries only after the index committed them, so an acknowledged message becomes
 *       searchable even if the process dies before the index was committed: on start the indexer
 *       replays what is left in the backlog.</li>
 *   <li>The send path never waits for the index: the tap appends one small mutation and offers a
 *       hint to a bounded queue; when the queue is full the hint is dropped and the indexer reads
 *       the durable backlog from the store instead.</li>
 *   <li>An index without the "done" checkpoint (new, or lost and deleted by an operator) is
 *       rebuilt from the store by a scan in (conversation, seq) order, resumable from its last
 *       committed checkpoint.</li>
 * </ul>
 */
package dev.tern.core.search;
