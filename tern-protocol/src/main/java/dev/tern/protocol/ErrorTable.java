package dev.tern.protocol;

import dev.tern.protocol.v1.ErrorCode;

import java.util.EnumMap;
import java.util.Map;

/**
 * The error-code table: for each stable {@link ErrorCode}, whether a client may retry the same
 * request unchanged and what the code means. docs/protocol.md renders the same table; a test
 * keeps the two in step.
 */
public final class ErrorTable {

    /** One row of the table. */
    public record Entry(ErrorCode code, boolean retryable, String meaning) {}

    private static final Map<ErrorCode, Entry> TABLE = new EnumMap<>(ErrorCode.class);

    static {
        row(ErrorCode.MALFORMED_FRAME, false, "The frame is not valid JSON / protobuf, or a field has the wrong type.");
        row(ErrorCode.UNKNOWN_FRAME_TYPE, false, "The frame carries no request this server knows.");
        row(ErrorCode.UNKNOWN_FIELD, false, "The frame has a field this protocol version does not define.");
        row(ErrorCode.FRAME_TOO_LARGE, false, "The frame exceeds the server's max frame size; the connection is closed (1009).");
        row(ErrorCode.INVALID_ARGUMENT, false, "A field is missing or has a value outside its documented range.");
        row(ErrorCode.BODY_TOO_LARGE, false, "A message body exceeds the max body size.");
        row(ErrorCode.UNSUPPORTED_VERSION, false, "The hello asked for a protocol version the server does not speak.");
        row(ErrorCode.NOT_AUTHENTICATED, false, "The request needs a session: log in or resume first.");
        row(ErrorCode.BAD_CREDENTIALS, false, "Unknown username or wrong password (deliberately not told apart).");
        row(ErrorCode.TICKET_INVALID, false, "The ticket is unknown or was revoked; log in again.");
        row(ErrorCode.TICKET_EXPIRED, false, "The ticket has expired; log in again.");
        row(ErrorCode.ALREADY_AUTHENTICATED, false, "The connection already has a session.");
        row(ErrorCode.AUTH_TIMEOUT, false, "No login or resume arrived in time; the connection is closed.");
        row(ErrorCode.SESSION_REVOKED, false, "The session's ticket was revoked (logout); the connection is closed.");
        row(ErrorCode.USERNAME_INVALID, false, "The username breaks the rules: 3-32 characters of a-z 0-9 _ .");
        row(ErrorCode.USERNAME_TAKEN, false, "Another account has this username (compared case-insensitively).");
        row(ErrorCode.PASSWORD_INVALID, false, "The password is shorter than 8 or longer than 256 characters.");
        row(ErrorCode.USER_NOT_FOUND, false, "No account has this username.");
        row(ErrorCode.NOT_MEMBER, false, "The conversation does not exist or the caller is not a member (not told apart).");
        row(ErrorCode.FORBIDDEN, false, "The caller's role does not allow this operation.");
        row(ErrorCode.ALREADY_MEMBER, false, "The user is already a member of the group.");
        row(ErrorCode.GROUP_FULL, false, "The group has reached its maximum number of members.");
        row(ErrorCode.RATE_LIMITED, true, "Too many requests of this kind; retry after retry_after_ms.");
        row(ErrorCode.OVERLOADED, true, "The server is overloaded; retry after retry_after_ms with the same ids.");
        row(ErrorCode.SLOW_READER, true, "The connection fell behind reading pushes and is closed; reconnect and sync.");
        row(ErrorCode.IDLE_TIMEOUT, true, "Nothing was received within the idle timeout; the connection is closed.");
        row(ErrorCode.SHUTTING_DOWN, true, "The server is shutting down; reconnect (to another node) and retry.");
        row(ErrorCode.STORAGE_UNAVAILABLE, true, "The store could not make the write durable; nothing was acknowledged, retry.");
        row(ErrorCode.INTERNAL, true, "An unexpected server error; the request may be retried with the same ids.");
        row(ErrorCode.SEND_RATE_DEVICE, true, "This device sends faster than limits.send-rate-device; retry after retry_after_ms.");
        row(ErrorCode.SEND_RATE_USER, true, "The user's devices together send faster than limits.send-rate-user; retry after retry_after_ms.");
        row(ErrorCode.LOGIN_RATE_USERNAME, true, "Too many failed logins for this username (limits.login-failures-per-username); retry after retry_after_ms.");
        row(ErrorCode.LOGIN_RATE_ADDRESS, true, "Too many login attempts from this network address (limits.login-attempts-per-address); retry after retry_after_ms.");
        row(ErrorCode.REGISTER_RATE_ADDRESS, true, "Too many registrations from this network address (limits.registrations-per-address); retry after retry_after_ms.");
        row(ErrorCode.CONNECTIONS_PER_ADDRESS, true, "Too many open connections from this network address; the connection is closed (4065).");
        row(ErrorCode.GROUP_CREATE_RATE, true, "The user created groups faster than limits.groups-per-user; retry after retry_after_ms.");
        row(ErrorCode.MESSAGE_NOT_FOUND, false, "No such message in that conversation, or not one the caller can read.");
        row(ErrorCode.EDIT_WINDOW_PASSED, false, "The message is older than messages.edit-window and can no longer be edited.");
        row(ErrorCode.RECALL_WINDOW_PASSED, false, "The message is older than messages.recall-window and can no longer be deleted for everyone.");
        row(ErrorCode.SLOW_MODE, true, "The group is in slow mode and this member sent within the interval; retry after retry_after_ms.");
        row(ErrorCode.BANNED, false, "The user is banned from the group; an admin must unban them first.");
        row(ErrorCode.INVITE_INVALID, false, "The invite link is unknown or was revoked.");
        row(ErrorCode.BLOCKED, false, "The recipient blocked you: no messages to them in your direct chat.");
        row(ErrorCode.NAME_TAKEN, false, "That public channel name is already taken.");
        row(ErrorCode.DIALOG_PIN_LIMIT, false, "At most 5 dialogs can be pinned; unpin one first.");
        row(ErrorCode.CHANNEL_NOT_FOUND, false, "No public channel has that name.");
        row(ErrorCode.MEDIA_NOT_FOUND, false, "No such media or upload, or not one you may read (HTTP 404).");
        row(ErrorCode.MEDIA_TOO_LARGE, false, "The file is larger than media.max-upload (HTTP 413).");
        row(ErrorCode.QUOTA_EXCEEDED, false, "The upload would take the user past media.quota (HTTP 413).");
        row(ErrorCode.MEDIA_TYPE_REFUSED, false, "The MIME type is not accepted, or the bytes are not of the declared type (HTTP 415).");
        row(ErrorCode.UPLOAD_RATE, true, "The user starts uploads faster than media.upload-rate; retry after retry_after_ms (HTTP 429).");
        row(ErrorCode.UPLOAD_OFFSET_MISMATCH, false, "Upload-Offset is not where the upload stands; ask with HEAD (HTTP 409).");
        row(ErrorCode.NOT_EDITABLE, false, "Service messages and deleted messages cannot be edited, forwarded or replied to.");
    }

    private ErrorTable() {}

    private static void row(ErrorCode code, boolean retryable, String meaning) {
        TABLE.put(code, new Entry(code, retryable, meaning));
    }

    /** The row for a code; every code except the unspecified zero value has one. */
    public static Entry of(ErrorCode code) {
        Entry e = TABLE.get(code);
        if (e == null) {
            throw new IllegalArgumentException("no table row for " + code);
        }
        return e;
    }

    /** All rows in code order. */
    public static Iterable<Entry> all() {
        return TABLE.values();
    }
}
