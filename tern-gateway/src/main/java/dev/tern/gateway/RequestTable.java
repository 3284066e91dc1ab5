package dev.tern.gateway;

import dev.tern.protocol.v1.ClientFrame;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which handler answers which request type, and whether it needs a session. Filled by the request
 * families ({@link AccountHandlers}, {@link MessageHandlers}, {@link GroupHandlers},
 * {@link InboxHandlers}, {@link PeopleHandlers}), each holding only the features it uses.
 */
final class RequestTable {

    /** Who may make a request: only a connection without a session, anyone, or a session. */
    enum Access { ANONYMOUS, ANY, SESSION }

    record Entry(Handler handler, Access access) {}

    private final Map<ClientFrame.BodyCase, Entry> entries = new EnumMap<>(ClientFrame.BodyCase.class);

    /** Registers a handler that needs a session. */
    RequestTable on(ClientFrame.BodyCase type, Handler handler) {
        return on(type, Access.SESSION, handler);
    }

    RequestTable on(ClientFrame.BodyCase type, Access access, Handler handler) {
        if (entries.putIfAbsent(type, new Entry(handler, access)) != null) {
            throw new IllegalStateException(type + " has two handlers");
        }
        return this;
    }

    /** The entry for {@code type}, or null when this server does not know it. */
    Entry get(ClientFrame.BodyCase type) {
        return entries.get(type);
    }
}
