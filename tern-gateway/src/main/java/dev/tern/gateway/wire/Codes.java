package dev.tern.gateway.wire;

import dev.tern.protocol.v1.ErrorCode;

/**
 * The core's error codes as wire codes. An exhaustive switch: a code the core adds does not compile
 * until it has its wire code here (and, by ErrorTableTest, a row in the documented table).
 */
public final class Codes {
    private Codes() {}

    public static ErrorCode wire(dev.tern.core.ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case BODY_TOO_LARGE -> ErrorCode.BODY_TOO_LARGE;
            case NOT_AUTHENTICATED -> ErrorCode.NOT_AUTHENTICATED;
            case BAD_CREDENTIALS -> ErrorCode.BAD_CREDENTIALS;
            case TICKET_INVALID -> ErrorCode.TICKET_INVALID;
            case TICKET_EXPIRED -> ErrorCode.TICKET_EXPIRED;
            case SESSION_REVOKED -> ErrorCode.SESSION_REVOKED;
            case USERNAME_INVALID -> ErrorCode.USERNAME_INVALID;
            case USERNAME_TAKEN -> ErrorCode.USERNAME_TAKEN;
            case PASSWORD_INVALID -> ErrorCode.PASSWORD_INVALID;
            case USER_NOT_FOUND -> ErrorCode.USER_NOT_FOUND;
            case NOT_MEMBER -> ErrorCode.NOT_MEMBER;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case ALREADY_MEMBER -> ErrorCode.ALREADY_MEMBER;
            case GROUP_FULL -> ErrorCode.GROUP_FULL;
            case OVERLOADED -> ErrorCode.OVERLOADED;
            case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
            case STORAGE_UNAVAILABLE -> ErrorCode.STORAGE_UNAVAILABLE;
            case INTERNAL -> ErrorCode.INTERNAL;
            case SEND_RATE_DEVICE -> ErrorCode.SEND_RATE_DEVICE;
            case SEND_RATE_USER -> ErrorCode.SEND_RATE_USER;
            case LOGIN_RATE_USERNAME -> ErrorCode.LOGIN_RATE_USERNAME;
            case LOGIN_RATE_ADDRESS -> ErrorCode.LOGIN_RATE_ADDRESS;
            case REGISTER_RATE_ADDRESS -> ErrorCode.REGISTER_RATE_ADDRESS;
            case GROUP_CREATE_RATE -> ErrorCode.GROUP_CREATE_RATE;
            case MESSAGE_NOT_FOUND -> ErrorCode.MESSAGE_NOT_FOUND;
            case EDIT_WINDOW_PASSED -> ErrorCode.EDIT_WINDOW_PASSED;
            case RECALL_WINDOW_PASSED -> ErrorCode.RECALL_WINDOW_PASSED;
            case NOT_EDITABLE -> ErrorCode.NOT_EDITABLE;
            case SLOW_MODE -> ErrorCode.SLOW_MODE;
            case BANNED -> ErrorCode.BANNED;
            case INVITE_INVALID -> ErrorCode.INVITE_INVALID;
            case BLOCKED -> ErrorCode.BLOCKED;
            case NAME_TAKEN -> ErrorCode.NAME_TAKEN;
            case DIALOG_PIN_LIMIT -> ErrorCode.DIALOG_PIN_LIMIT;
            case CHANNEL_NOT_FOUND -> ErrorCode.CHANNEL_NOT_FOUND;
            case MEDIA_NOT_FOUND -> ErrorCode.MEDIA_NOT_FOUND;
            case MEDIA_TOO_LARGE -> ErrorCode.MEDIA_TOO_LARGE;
            case QUOTA_EXCEEDED -> ErrorCode.QUOTA_EXCEEDED;
            case MEDIA_TYPE_REFUSED -> ErrorCode.MEDIA_TYPE_REFUSED;
            case UPLOAD_RATE -> ErrorCode.UPLOAD_RATE;
            case UPLOAD_OFFSET_MISMATCH -> ErrorCode.UPLOAD_OFFSET_MISMATCH;
        };
    }
}
