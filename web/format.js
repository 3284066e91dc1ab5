// How messages read as text: bodies, previews in the dialog list and service messages.
import { S } from "./state.js";

const who = (id, name) => (S.me && id === S.me.userId ? "You" : name || "Someone");

/** A service message (group created, member added, …) as a sentence. */
export function serviceText(m) {
  const s = m.service ?? {};
  const actor = who(m.senderId, m.senderName);
  const target = who(s.targetUserId, s.targetUsername);
  switch (s.type) {
    case "GROUP_CREATED": return `${actor} created the group “${s.title ?? ""}”`;
    case "CHANNEL_CREATED": return `Channel “${s.title ?? ""}” created`;
    case "MEMBER_ADDED": return `${actor} added ${target}`;
    case "MEMBER_REMOVED": return `${actor} ${s.banned ? "banned" : "removed"} ${target}`;
    case "MEMBER_LEFT": return `${s.targetUserId ? target : actor} left`;
    case "MEMBER_JOINED": return `${s.targetUserId ? target : actor} joined`;
    case "MESSAGE_PINNED": return `${actor} pinned a message`;
    case "MESSAGE_UNPINNED": return `${actor} unpinned a message`;
    case "TITLE_CHANGED": return `${actor} changed the title to “${s.title ?? ""}”`;
    case "DESCRIPTION_CHANGED": return `${actor} changed the description`;
    case "ROLE_CHANGED": return `${actor} made ${target} ${(s.role ?? "member").replace("ROLE_", "").toLowerCase()}`;
    case "POSTING_RULES_CHANGED":
      return `${actor} set posting to ${s.adminsOnly ? "admins only" : "everyone"}`
        + (s.slowModeSeconds ? `, slow mode ${s.slowModeSeconds} s` : "");
    default: return "Service message";
  }
}

export function mediaLabel(media) {
  if (!media) return "";
  if (media.mime?.startsWith("image/")) return "Photo";
  if (media.mime?.startsWith("video/")) return "Video";
  if (media.mime?.startsWith("audio/")) return "Audio";
  return media.fileName || "File";
}

/** The text of a message as shown in its bubble (captions for media). */
export function bodyText(m) {
  if (m.recalled) return "This message was deleted";
  if (m.service) return serviceText(m);
  return m.text ?? "";
}

/** One line for the dialog list. */
export function preview(m) {
  if (!m) return "";
  if (m.recalled || m.service) return bodyText(m);
  const text = m.media ? `${mediaLabel(m.media)}${m.text ? `: ${m.text}` : ""}` : (m.text ?? "");
  return m.senderId === S.me?.userId ? `You: ${text}` : text;
}

export function size(bytes) {
  const n = Number(bytes ?? 0);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function clock(tsMs) {
  return new Date(Number(tsMs ?? Date.now())).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
