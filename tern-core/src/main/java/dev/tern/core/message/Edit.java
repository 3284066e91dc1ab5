package dev.tern.core.message;

/**
 * New content for the caller's message {@code seq}: {@code text} or {@code data} (the other null);
 * an empty {@code contentType} keeps the message's.
 */
public record Edit(long conversationId, long seq, String contentType, String text, byte[] data) {
    public Edit {
        contentType = contentType == null ? "" : contentType;
    }
}
