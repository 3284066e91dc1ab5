package dev.tern.core.view;

import com.google.protobuf.CodedOutputStream;
import dev.tern.core.store.MemberRole;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A change to a conversation, recorded as a service message with its own seq. Stored as the body
 * of that message in the protobuf encoding of frames.proto's {@code ServiceEvent} (field numbers
 * below), the form data directories already hold; the edge hands the stored bytes to clients
 * after one decode. A test at the edge checks that {@link #encode} and the generated parser agree.
 *
 * @param role the role given (ROLE_CHANGED), null otherwise
 */
public record ServiceEvent(Type type, long targetUserId, String targetUsername, String title, MemberRole role,
                           long messageSeq, String description, boolean adminsOnly, int slowModeSeconds,
                           boolean banned) {

    /** The kinds of change, in frames.proto's numbering (ordinal + 1). */
    public enum Type {
        GROUP_CREATED, MEMBER_ADDED, MEMBER_REMOVED, MEMBER_LEFT, MESSAGE_PINNED, MESSAGE_UNPINNED, TITLE_CHANGED,
        DESCRIPTION_CHANGED, ROLE_CHANGED, POSTING_RULES_CHANGED, MEMBER_JOINED, CHANNEL_CREATED
    }

    public ServiceEvent {
        targetUsername = targetUsername == null ? "" : targetUsername;
        title = title == null ? "" : title;
        description = description == null ? "" : description;
    }

    /** An event of {@code type} with nothing else set; add the rest with the {@code with…} methods. */
    public static ServiceEvent of(Type type) {
        return new ServiceEvent(type, 0, "", "", null, 0, "", false, 0, false);
    }

    public ServiceEvent withTarget(long userId, String username) {
        return new ServiceEvent(type, userId, username, title, role, messageSeq, description, adminsOnly,
                slowModeSeconds, banned);
    }

    public ServiceEvent withTitle(String t) {
        return new ServiceEvent(type, targetUserId, targetUsername, t, role, messageSeq, description, adminsOnly,
                slowModeSeconds, banned);
    }

    public ServiceEvent withRole(MemberRole r) {
        return new ServiceEvent(type, targetUserId, targetUsername, title, r, messageSeq, description, adminsOnly,
                slowModeSeconds, banned);
    }

    public ServiceEvent withMessageSeq(long seq) {
        return new ServiceEvent(type, targetUserId, targetUsername, title, role, seq, description, adminsOnly,
                slowModeSeconds, banned);
    }

    public ServiceEvent withDescription(String d) {
        return new ServiceEvent(type, targetUserId, targetUsername, title, role, messageSeq, d, adminsOnly,
                slowModeSeconds, banned);
    }

    public ServiceEvent withPostingRules(boolean adminsOnlyPosting, int slowSeconds) {
        return new ServiceEvent(type, targetUserId, targetUsername, title, role, messageSeq, description,
                adminsOnlyPosting, slowSeconds, banned);
    }

    public ServiceEvent withBanned(boolean b) {
        return new ServiceEvent(type, targetUserId, targetUsername, title, role, messageSeq, description, adminsOnly,
                slowModeSeconds, b);
    }

    /** The stored form (proto3: fields at their default are left out). */
    public byte[] encode() {
        try {
            byte[] out = new byte[size()];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeEnum(1, type.ordinal() + 1);
            if (targetUserId != 0) {
                o.writeUInt64(2, targetUserId);
            }
            if (!targetUsername.isEmpty()) {
                o.writeString(3, targetUsername);
            }
            if (!title.isEmpty()) {
                o.writeString(4, title);
            }
            if (role != null) {
                o.writeEnum(5, role.ordinal() + 1);
            }
            if (messageSeq != 0) {
                o.writeUInt64(6, messageSeq);
            }
            if (!description.isEmpty()) {
                o.writeString(7, description);
            }
            if (adminsOnly) {
                o.writeBool(8, true);
            }
            if (slowModeSeconds != 0) {
                o.writeUInt32(9, slowModeSeconds);
            }
            if (banned) {
                o.writeBool(10, true);
            }
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the array is sized exactly
        }
    }

    private int size() {
        int n = CodedOutputStream.computeEnumSize(1, type.ordinal() + 1);
        n += targetUserId != 0 ? CodedOutputStream.computeUInt64Size(2, targetUserId) : 0;
        n += !targetUsername.isEmpty() ? CodedOutputStream.computeStringSize(3, targetUsername) : 0;
        n += !title.isEmpty() ? CodedOutputStream.computeStringSize(4, title) : 0;
        n += role != null ? CodedOutputStream.computeEnumSize(5, role.ordinal() + 1) : 0;
        n += messageSeq != 0 ? CodedOutputStream.computeUInt64Size(6, messageSeq) : 0;
        n += !description.isEmpty() ? CodedOutputStream.computeStringSize(7, description) : 0;
        n += adminsOnly ? CodedOutputStream.computeBoolSize(8, true) : 0;
        n += slowModeSeconds != 0 ? CodedOutputStream.computeUInt32Size(9, slowModeSeconds) : 0;
        n += banned ? CodedOutputStream.computeBoolSize(10, true) : 0;
        return n;
    }
}
