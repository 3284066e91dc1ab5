package dev.tern.core;

/**
 * Why the core refused or failed an operation: the domain's own codes, stable across releases.
 * The gateway maps each to the wire's error code of the same name in one place
 * ({@code dev.tern.gateway.wire.Codes}, an exhaustive switch, so a code added here and not mapped
 * there does not compile). Codes only the edge can produce (malformed frames, timeouts, a slow
 * reader) are not here.
 */
public enum ErrorCode {
    INVALID_ARGUMENT,
    BODY_TOO_LARGE,
    NOT_AUTHENTICATED,
    BAD_CREDENTIALS,
    TICKET_INVALID,
    TICKET_EXPIRED,
    SESSION_REVOKED,
    USERNAME_INVALID,
    USERNAME_TAKEN,
    PASSWORD_INVALID,
    USER_NOT_FOUND,
    NOT_MEMBER,
    FORBIDDEN,
    ALREADY_MEMBER,
    GROUP_FULL,
    OVERLOADED,
    SHUTTING_DOWN,
    STORAGE_UNAVAILABLE,
    INTERNAL,
    SEND_RATE_DEVICE,
    SEND_RATE_USER,
    LOGIN_RATE_USERNAME,
    LOGIN_RATE_ADDRESS,
    REGISTER_RATE_ADDRESS,
    GROUP_CREATE_RATE,
    MESSAGE_NOT_FOUND,
    EDIT_WINDOW_PASSED,
    RECALL_WINDOW_PASSED,
    NOT_EDITABLE,
    SLOW_MODE,
    BANNED,
    INVITE_INVALID,
    BLOCKED,
    NAME_TAKEN,
    DIALOG_PIN_LIMIT,
    CHANNEL_NOT_FOUND,
    MEDIA_NOT_FOUND,
    MEDIA_TOO_LARGE,
    QUOTA_EXCEEDED,
    MEDIA_TYPE_REFUSED,
    UPLOAD_RATE,
    UPLOAD_OFFSET_MISMATCH;
}
