package dev.tern.core.tests;

import dev.tern.core.store.BodyKind;
import dev.tern.core.view.Change;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.ServiceEvent;
import dev.tern.core.view.Update;

import java.nio.charset.StandardCharsets;

/** Reads what a test asserts on out of the core's view values, failing loudly on the wrong kind. */
final class Views {
    private Views() {}

    /** The text of a message; "" when its body is not text (data, a service event, a recall). */
    static String text(MessageView m) {
        return m.record().bodyKind() == BodyKind.TEXT
                ? new String(m.record().bodyUnsafe(), StandardCharsets.UTF_8) : "";
    }

    /** The bytes of a data message; empty when its body is not data. */
    static byte[] data(MessageView m) {
        return m.record().bodyKind() == BodyKind.DATA ? m.record().body() : new byte[0];
    }

    static boolean isService(MessageView m) {
        return m.record().bodyKind() == BodyKind.SERVICE;
    }

    /** The event of a service message; fails the test for any other message. */
    static ServiceEvent service(MessageView m) {
        if (!isService(m)) {
            throw new AssertionError("not a service message: " + m.conversationId() + "/" + m.seq());
        }
        return ProtoFields.serviceEvent(m.record().bodyUnsafe());
    }

    /** The change of {@code u}, which must be of kind {@code kind}. */
    static <C extends Change> C change(Update u, Class<C> kind) {
        if (!kind.isInstance(u.change())) {
            throw new AssertionError("expected " + kind.getSimpleName() + ", got " + u.change());
        }
        return kind.cast(u.change());
    }

    /** The new message {@code u} tells of; fails the test for any other change. */
    static MessageView posted(Update u) {
        return change(u, Change.Posted.class).message();
    }

    /** True when {@code u} tells of the new message {@code seq}. */
    static boolean posts(Update u, long seq) {
        return u.change() instanceof Change.Posted p && p.message().seq() == seq;
    }
}
