package dev.tern.server;

import dev.tern.client.TernListener;
import dev.tern.protocol.v1.ConversationNews;
import dev.tern.protocol.v1.Goodbye;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Presence;
import dev.tern.protocol.v1.TypingPush;
import dev.tern.protocol.v1.Update;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records everything a client's listener receives. */
final class Recorder implements TernListener {
    final List<Update> updates = new CopyOnWriteArrayList<>();
    final List<TypingPush> typing = new CopyOnWriteArrayList<>();
    final List<Presence> presence = new CopyOnWriteArrayList<>();
    final List<Goodbye> goodbyes = new CopyOnWriteArrayList<>();
    final List<ConversationNews> news = new CopyOnWriteArrayList<>();
    /** Each change of the session: true when it is (re-)established, false when it is lost. */
    final List<Boolean> sessions = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdate(Update update) {
        updates.add(update);
    }

    @Override
    public void onNews(ConversationNews n) {
        news.add(n);
    }

    @Override
    public void onTyping(TypingPush t) {
        typing.add(t);
    }

    @Override
    public void onPresence(Presence p) {
        presence.add(p);
    }

    @Override
    public void onGoodbye(Goodbye g) {
        goodbyes.add(g);
    }

    @Override
    public void onConnection(boolean up) {
        sessions.add(up);
    }

    /** Messages received (not service messages) in arrival order. */
    List<Message> messages() {
        List<Message> out = new ArrayList<>();
        for (Update u : updates) {
            if (u.hasMessage() && !u.getMessage().hasService()) {
                out.add(u.getMessage());
            }
        }
        return out;
    }

    List<Message> messagesIn(long conversationId) {
        return messages().stream().filter(m -> m.getConversationId() == conversationId).toList();
    }

    /**
     * Messages in a conversation sent by others. A device's own messages reach its listener only when
     * a gap made it sync them, so counts that must be exact leave them out.
     */
    List<Message> othersIn(long conversationId, String self) {
        return messagesIn(conversationId).stream().filter(m -> !m.getSenderName().equals(self)).toList();
    }
}
