package dev.tern.core.view;

import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MessageRecord;

/**
 * A stored message as a reader sees it: its record (current state: edits, reactions, a recall's
 * tombstone) and the kind of its conversation. The record's media and service bodies stay in their
 * stored form (see {@link ServiceEvent}); the edge decodes them once per message.
 */
public record MessageView(MessageRecord record, ConversationKind kind) {
    public long conversationId() {
        return record.conversationId();
    }

    public long seq() {
        return record.seq();
    }
}
