/**
 * The frames of tern-protocol/src/main/proto/tern/v1/frames.proto in protobuf's canonical JSON
 * mapping (subprotocol tern.v1.json): lowerCamelCase names, 64-bit integers as decimal strings,
 * enums as names, fields at their default value omitted (so every field is optional here).
 */

/** A 64-bit id or number as the wire carries it: a decimal string. */
export type Int64 = string;
/** What the SDK accepts wherever it takes a 64-bit value. */
export type Int64Like = string | number | bigint;

export type ConversationKind = "CONVERSATION_KIND_UNSPECIFIED" | "DIRECT" | "GROUP" | "CHANNEL";
export type Role = "ROLE_UNSPECIFIED" | "MEMBER" | "ADMIN" | "OWNER";
export type Visibility = "VISIBILITY_UNSPECIFIED" | "EVERYONE" | "CONTACTS" | "NOBODY";

/** The server's stable error codes (docs/protocol.md section 5). */
export type ErrorCode =
  | "ERROR_CODE_UNSPECIFIED" | "MALFORMED_FRAME" | "UNKNOWN_FRAME_TYPE" | "UNKNOWN_FIELD" | "FRAME_TOO_LARGE"
  | "INVALID_ARGUMENT" | "BODY_TOO_LARGE" | "UNSUPPORTED_VERSION" | "NOT_AUTHENTICATED" | "BAD_CREDENTIALS"
  | "TICKET_INVALID" | "TICKET_EXPIRED" | "ALREADY_AUTHENTICATED" | "AUTH_TIMEOUT" | "SESSION_REVOKED"
  | "USERNAME_INVALID" | "USERNAME_TAKEN" | "PASSWORD_INVALID" | "USER_NOT_FOUND" | "NOT_MEMBER" | "FORBIDDEN"
  | "ALREADY_MEMBER" | "GROUP_FULL" | "RATE_LIMITED" | "OVERLOADED" | "SLOW_READER" | "IDLE_TIMEOUT"
  | "SHUTTING_DOWN" | "STORAGE_UNAVAILABLE" | "INTERNAL" | "SEND_RATE_DEVICE" | "SEND_RATE_USER"
  | "LOGIN_RATE_USERNAME" | "LOGIN_RATE_ADDRESS" | "REGISTER_RATE_ADDRESS" | "CONNECTIONS_PER_ADDRESS"
  | "GROUP_CREATE_RATE" | "MESSAGE_NOT_FOUND" | "EDIT_WINDOW_PASSED" | "RECALL_WINDOW_PASSED" | "NOT_EDITABLE"
  | "SLOW_MODE" | "BANNED" | "INVITE_INVALID" | "BLOCKED" | "NAME_TAKEN" | "DIALOG_PIN_LIMIT"
  | "CHANNEL_NOT_FOUND" | "MEDIA_NOT_FOUND" | "MEDIA_TOO_LARGE" | "QUOTA_EXCEEDED" | "MEDIA_TYPE_REFUSED"
  | "UPLOAD_RATE" | "UPLOAD_OFFSET_MISMATCH";

// ------------------------------------------------------------------ requests

/** A message to send (the `send` request without its frame id). */
export interface Send {
  conversationId?: Int64;
  peer?: string;
  clientMsgId?: string;
  contentType?: string;
  text?: string;
  /** base64 */
  data?: string;
  retry?: boolean;
  replyToSeq?: Int64;
  forward?: MessageRef;
  mediaId?: string;
}

export interface MessageRef {
  conversationId?: Int64;
  seq?: Int64;
}

export interface UpdateGroup {
  conversationId: Int64Like;
  title?: string;
  description?: string;
  adminsOnly?: boolean;
  slowModeSeconds?: number;
}

export interface GetDialogs {
  archived?: boolean;
  beforeActivityMs?: Int64Like;
  beforeConversationId?: Int64Like;
  limit?: number;
}

export interface UpdateDialog {
  conversationId: Int64Like;
  muteUntilMs?: Int64Like;
  archived?: boolean;
  pinned?: boolean;
  draft?: string;
}

export interface SearchMessages {
  query: string;
  conversationId?: Int64Like;
  senderId?: Int64Like;
  senderUsername?: string;
  fromMs?: Int64Like;
  toMs?: Int64Like;
  cursor?: string;
  limit?: number;
}

// ------------------------------------------------------------------ responses

export interface Welcome {
  protocolVersion?: number;
  serverVersion?: string;
  maxFrameBytes?: number;
  maxBodyBytes?: number;
  idleTimeoutMs?: number;
}

export interface Registered {
  userId?: Int64;
  username?: string;
}

export interface Session {
  userId?: Int64;
  username?: string;
  deviceId?: Int64;
  ticket?: string;
  expiresAtMs?: Int64;
  pts?: Int64;
}

export interface Ok {
  conversationId?: Int64;
  seq?: Int64;
  pts?: Int64;
  prevPts?: Int64;
}

export interface SendAck {
  clientMsgId?: string;
  conversationId?: Int64;
  seq?: Int64;
  pts?: Int64;
  prevPts?: Int64;
  tsMs?: Int64;
  duplicate?: boolean;
}

export interface SyncResult {
  updates?: Update[];
  more?: boolean;
  pts?: Int64;
  news?: ConversationNews[];
}

export interface ConversationNews {
  conversationId?: Int64;
  lastSeq?: Int64;
  readUpToSeq?: Int64;
  unreadCount?: number;
  unreadMentions?: number;
  lastChange?: Int64;
}

export interface ChangesResult {
  updates?: Update[];
  more?: boolean;
  lastChange?: Int64;
}

export interface DialogsResult {
  dialogs?: Dialog[];
  more?: boolean;
}

export interface Dialog {
  conversationId?: Int64;
  kind?: ConversationKind;
  title?: string;
  peerId?: Int64;
  topMessage?: Message;
  lastActivityMs?: Int64;
  readUpToSeq?: Int64;
  unreadCount?: number;
  unreadMentions?: number;
  muteUntilMs?: Int64;
  archived?: boolean;
  pinned?: boolean;
  draft?: string;
  draftAtMs?: Int64;
  broadcast?: boolean;
  left?: boolean;
  lastChange?: Int64;
  /** How far the other side has read: a direct chat's peer, or the highest of a group's other members (0 when hidden, and in broadcast conversations). */
  peerReadSeq?: Int64;
  /** How far the other side's devices have received; never below peerReadSeq. */
  peerDeliveredSeq?: Int64;
}

export interface ChannelsResult {
  channels?: ChannelRef[];
}

export interface ChannelRef {
  conversationId?: Int64;
  publicName?: string;
  title?: string;
  description?: string;
  memberCount?: number;
}

export interface HistoryResult {
  /** Newest first. */
  messages?: Message[];
  more?: boolean;
}

export interface ConversationInfo {
  conversationId?: Int64;
  kind?: ConversationKind;
  title?: string;
  members?: Member[];
  lastSeq?: Int64;
  createdAtMs?: Int64;
  pinnedSeqs?: Int64[];
  description?: string;
  adminsOnly?: boolean;
  slowModeSeconds?: number;
  publicName?: string;
  broadcast?: boolean;
  memberCount?: number;
}

export interface MembersResult {
  members?: Member[];
  more?: boolean;
}

export interface UserRef {
  userId?: Int64;
  username?: string;
}

export interface ContactsResult {
  users?: UserRef[];
}

export interface BlockedResult {
  users?: UserRef[];
}

export interface Privacy {
  lastSeen?: Visibility;
  readReceipts?: Visibility;
}

export interface SearchResult {
  messages?: Message[];
  more?: boolean;
  nextCursor?: string;
}

export interface UsersResult {
  users?: UserRef[];
  more?: boolean;
}

export interface Invite {
  conversationId?: Int64;
  token?: string;
}

export interface ReactionsResult {
  reactors?: Reactor[];
  more?: boolean;
}

export interface Reactor {
  userId?: Int64;
  username?: string;
  emoji?: string[];
}

export interface PresenceResult {
  presences?: Presence[];
}

/** The body of an `error` response. */
export interface ErrorBody {
  code?: ErrorCode;
  message?: string;
  retryable?: boolean;
  retryAfterMs?: number;
}

// ------------------------------------------------------------------ pushes and values

export interface TypingPush {
  conversationId?: Int64;
  userId?: Int64;
  username?: string;
  stopped?: boolean;
}

export interface Goodbye {
  reason?: ErrorCode;
  message?: string;
}

/** One entry of the user's update log (pts > 0), or a broadcast push outside it (pts 0, omitted). */
export interface Update {
  pts?: Int64;
  prevPts?: Int64;
  message?: Message;
  read?: ReadMarker;
  edited?: Message;
  recalled?: Message;
  reacted?: Message;
  hidden?: MessageRef;
  dialog?: Dialog;
  /** Always with pts 0: delivered markers are not log entries. */
  delivered?: DeliveredMarker;
  mentioned?: boolean;
  change?: Int64;
  prevChange?: Int64;
}

export interface Message {
  conversationId?: Int64;
  seq?: Int64;
  senderId?: Int64;
  senderName?: string;
  senderDeviceId?: Int64;
  clientMsgId?: string;
  contentType?: string;
  text?: string;
  /** base64 */
  data?: string;
  service?: ServiceEvent;
  tsMs?: Int64;
  conversationKind?: ConversationKind;
  replyToSeq?: Int64;
  forwarded?: Forwarded;
  editedAtMs?: Int64;
  recalled?: boolean;
  reactions?: ReactionCount[];
  mentionIds?: Int64[];
  media?: Media;
}

export interface Media {
  mediaId?: string;
  mime?: string;
  size?: Int64;
  fileName?: string;
  width?: number;
  height?: number;
  hasThumbnail?: boolean;
  sha256?: string;
  durationMs?: Int64;
}

export interface ReactionCount {
  emoji?: string;
  count?: number;
}

export interface Forwarded {
  senderId?: Int64;
  senderName?: string;
  tsMs?: Int64;
}

export interface ServiceEvent {
  type?: "TYPE_UNSPECIFIED" | "GROUP_CREATED" | "MEMBER_ADDED" | "MEMBER_REMOVED" | "MEMBER_LEFT"
    | "MESSAGE_PINNED" | "MESSAGE_UNPINNED" | "TITLE_CHANGED" | "DESCRIPTION_CHANGED" | "ROLE_CHANGED"
    | "POSTING_RULES_CHANGED" | "MEMBER_JOINED" | "CHANNEL_CREATED";
  targetUserId?: Int64;
  targetUsername?: string;
  title?: string;
  role?: Role;
  messageSeq?: Int64;
  description?: string;
  adminsOnly?: boolean;
  slowModeSeconds?: number;
  banned?: boolean;
}

export interface ReadMarker {
  conversationId?: Int64;
  userId?: Int64;
  username?: string;
  upToSeq?: Int64;
}

/** "userId's devices have received the conversation up to upToSeq" (a read marker implies one). */
export interface DeliveredMarker {
  conversationId?: Int64;
  userId?: Int64;
  username?: string;
  upToSeq?: Int64;
}

export interface Member {
  userId?: Int64;
  username?: string;
  role?: Role;
  joinedSeq?: Int64;
}

export interface Presence {
  userId?: Int64;
  username?: string;
  online?: boolean;
  lastSeenMs?: Int64;
}

/** A server frame as JSON: the echoed request id (absent on pushes) and one body key. */
export interface ServerFrame {
  id?: string;
  [body: string]: unknown;
}
