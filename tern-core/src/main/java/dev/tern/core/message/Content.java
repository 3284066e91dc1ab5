package dev.tern.core.message;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;
import dev.tern.core.store.BodyKind;

import java.nio.charset.StandardCharsets;

/** A message body as sent (text or data), checked against the size limit; shared by sends and edits. */
record Content(BodyKind kind, byte[] body) {

    /** {@code text} when not null, else {@code data} when not null; INVALID_ARGUMENT when neither. */
    static Content of(String text, byte[] data, int maxBodyBytes) {
        Content c;
        if (text != null) {
            c = new Content(BodyKind.TEXT, text.getBytes(StandardCharsets.UTF_8));
        } else if (data != null) {
            c = new Content(BodyKind.DATA, data);
        } else {
            throw new Failure(ErrorCode.INVALID_ARGUMENT, "text or data is required");
        }
        if (c.body.length > maxBodyBytes) {
            throw new Failure(ErrorCode.BODY_TOO_LARGE,
                    "body is " + c.body.length + " bytes; the limit is " + maxBodyBytes);
        }
        return c;
    }
}
