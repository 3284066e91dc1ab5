package dev.tern.core.message;

import com.google.protobuf.ByteString;
import dev.tern.core.Failure;
import dev.tern.core.store.BodyKind;
import dev.tern.protocol.v1.ErrorCode;

import java.nio.charset.StandardCharsets;

/** A message body as sent (text or data), checked against the size limit; shared by sends and edits. */
record Content(BodyKind kind, byte[] body) {

    /** {@code text} when {@code isText}, else {@code data} when {@code isData}; INVALID_ARGUMENT when neither. */
    static Content of(boolean isText, String text, boolean isData, ByteString data, int maxBodyBytes) {
        Content c;
        if (isText) {
            c = new Content(BodyKind.TEXT, text.getBytes(StandardCharsets.UTF_8));
        } else if (isData) {
            c = new Content(BodyKind.DATA, data.toByteArray());
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
