import { Connection } from "./connection.js";
import { big, Cursor } from "./cursor.js";
import { TernMedia } from "./media.js";
import { type ClientOptions, type ResolvedOptions, type TernListener, withDefaults } from "./options.js";
import { Outbox } from "./outbox.js";
import { DeliveryReceipts } from "./receipts.js";
import type * as T from "./types.js";
import type { WebSocketConstructor } from "./wire.js";

export type { ClientOptions, TernListener } from "./options.js";

/** A message to send: Send with ids accepted as numbers or bigints and `data` as bytes. */
export type SendInput = Omit<T.Send, "conversationId" | "replyToSeq" | "data" | "forward" | "retry"> & {
  conversationId?: T.Int64Like;
  replyToSeq?: T.Int64Like;
  forward?: { conversationId: T.Int64Like; seq: T.Int64Like };
  data?: Uint8Array | string;
};

/**
 * A Tern session from one device over a WebSocket speaking JSON frames, with the Java SDK's
 * guarantees: updates exactly once in pts order with gaps filled by sync; sends retried under one
 * client message id until acknowledged, across reconnects; after a dropped connection it
 * reconnects with backoff, resumes its ticket and syncs from its cursor.
 *
 * Events: pass a `listener` object, and/or listen on the client itself (an EventTarget) for
 * "update", "news", "typing", "presence", "connection" and "goodbye" CustomEvents, whose `detail`
 * is what the listener method would get.
 *
 * This class is the API: a wrapper per request, the session calls (login, resume, password change,
 * logout), the device's own log entries (send acks, Oks with a pts) handed to the cursor, and the
 * events. The connection itself (hello, heartbeat, reconnect and resume) is Connection's.
 */
export class TernClient extends EventTarget {
  private readonly cursorState: Cursor;
  private readonly outbox: Outbox;
  private readonly connection: Connection;
  private readonly listener: TernListener;
  private mediaValue: TernMedia | undefined;

  private constructor(private readonly options: ResolvedOptions) {
    super();
    const ws = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ws) {
      throw new TypeError("no WebSocket in this environment: pass one as options.WebSocket (npm 'ws' in Node 20)");
    }
    this.listener = options.listener ?? {};
    const receipts = options.deliveryReceipts === false ? undefined : new DeliveryReceipts(
      () => big(this.connection.session?.userId), (conversationId, upToSeq) => this.markDelivered(conversationId, upToSeq));
    this.cursorState = new Cursor({
      update: (u) => {
        receipts?.handed(u); // sees exactly what the application is handed
        this.emit("update", "onUpdate", u);
      },
      news: (n) => this.emit("news", "onNews", n),
    }, (after) => this.sync(after, 2000));
    this.outbox = new Outbox({ ready: () => this.connection.ready(), transmit: (s) => this.transmit(s) });
    this.connection = new Connection(options, ws, { cursor: this.cursorState, outbox: this.outbox, receipts },
      this.emit.bind(this));
  }

  /** Opens the connection and exchanges hello; resolves when the server welcomed the client. */
  static async connect(options: ClientOptions, listener?: TernListener): Promise<TernClient> {
    if (options.binary) {
      throw new TypeError("binary frames are not supported by this SDK; use JSON (binary: false)");
    }
    const c = new TernClient(withDefaults(options, listener));
    try {
      await c.connection.start();
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  // ------------------------------------------------------------------ accounts

  register(username: string, password: string): Promise<T.Registered> {
    return this.call("register", { username, password }, "registered");
  }

  /** Logs in as a new device; keeps the ticket. The cursor starts at the account's newest pts. */
  async login(username: string, password: string, deviceName?: string): Promise<T.Session> {
    const s = await this.call<T.Session>("login", { username, password, deviceName }, "session");
    return this.connection.signedIn(s.ticket, big(s.pts), s);
  }

  /**
   * Resumes a ticket from an earlier login (the same device). `fromPts` is the cursor the
   * application kept (updates after it are synced); omit it (or pass -1) to start at the newest pts.
   */
  async resume(ticket: string, fromPts?: T.Int64Like): Promise<T.Session> {
    const s = await this.call<T.Session>("resume", { ticket }, "session");
    const from = fromPts === undefined ? -1n : big(fromPts);
    return this.connection.signedIn(ticket, from < 0n ? big(s.pts) : from, s);
  }

  /**
   * Changes the password. The server revokes every other ticket of the account and answers with a
   * new ticket for this device, which this client keeps for its reconnects.
   */
  async changePassword(oldPassword: string, newPassword: string): Promise<T.Session> {
    const s = await this.call<T.Session>("changePassword", { oldPassword, newPassword }, "session");
    return this.connection.ticketChanged(s);
  }

  async logout(): Promise<T.Ok> {
    const ok = await this.call<T.Ok>("logout", {}, "ok");
    this.connection.loggedOut();
    return ok;
  }

  // ------------------------------------------------------------------ messages

  /**
   * Sends a message; a missing clientMsgId is generated once. It is retried under that id (with
   * `retry: true`) after retryable errors and reconnects until acknowledged or refused for good.
   */
  send(message: SendInput): Promise<T.SendAck> {
    const send: T.Send = {
      ...message,
      conversationId: opt(message.conversationId),
      replyToSeq: opt(message.replyToSeq),
      forward: message.forward && { conversationId: String(message.forward.conversationId), seq: String(message.forward.seq) },
      data: message.data instanceof Uint8Array ? base64(message.data) : message.data,
      clientMsgId: message.clientMsgId || randomId(),
    };
    return this.outbox.add(send);
  }

  /** Sends text to a conversation. */
  sendText(conversationId: T.Int64Like, text: string): Promise<T.SendAck> {
    return this.send({ conversationId, contentType: "text/plain", text });
  }

  /** Sends text to the direct chat with `peer` (created by the first message). */
  sendTextTo(peer: string, text: string): Promise<T.SendAck> {
    return this.send({ peer, contentType: "text/plain", text });
  }

  /** Replies with text to message `replyToSeq` of the conversation. */
  replyText(conversationId: T.Int64Like, replyToSeq: T.Int64Like, text: string): Promise<T.SendAck> {
    return this.send({ conversationId, replyToSeq, contentType: "text/plain", text });
  }

  /** Forwards message `seq` of `fromConversationId` to `toConversationId`. */
  forward(toConversationId: T.Int64Like, fromConversationId: T.Int64Like, seq: T.Int64Like): Promise<T.SendAck> {
    return this.send({ conversationId: toConversationId, forward: { conversationId: fromConversationId, seq } });
  }

  /** Sends uploaded media (see `media.upload`) with an optional caption. */
  sendMedia(conversationId: T.Int64Like, mediaId: string, caption?: string): Promise<T.SendAck> {
    return this.send({ conversationId, mediaId, contentType: "text/plain", text: caption || undefined });
  }

  /** Replaces the text of one's own message; members see the edit as an update. */
  editText(conversationId: T.Int64Like, seq: T.Int64Like, text: string): Promise<T.Ok> {
    return this.mutation("editMessage", { conversationId: String(conversationId), seq: String(seq), contentType: "text/plain", text });
  }

  /** Deletes a message for everyone (one's own within the recall window; any, as a group admin). */
  recall(conversationId: T.Int64Like, seq: T.Int64Like): Promise<T.Ok> {
    return this.mutation("recallMessage", ref(conversationId, seq));
  }

  /** Adds the caller's reaction (up to 3 different emoji per message). */
  react(conversationId: T.Int64Like, seq: T.Int64Like, emoji: string): Promise<T.Ok> {
    return this.mutation("react", { ...ref(conversationId, seq), emoji });
  }

  /** Takes back the caller's reaction. */
  unreact(conversationId: T.Int64Like, seq: T.Int64Like, emoji: string): Promise<T.Ok> {
    return this.mutation("react", { ...ref(conversationId, seq), emoji, remove: true });
  }

  pin(conversationId: T.Int64Like, seq: T.Int64Like): Promise<T.Ok> {
    return this.mutation("pinMessage", ref(conversationId, seq));
  }

  unpin(conversationId: T.Int64Like, seq: T.Int64Like): Promise<T.Ok> {
    return this.mutation("pinMessage", { ...ref(conversationId, seq), unpin: true });
  }

  /** Deletes messages for the caller only. */
  deleteForMe(conversationId: T.Int64Like, seqs: T.Int64Like[]): Promise<T.Ok> {
    return this.mutation("deleteForMe", { conversationId: String(conversationId), seqs: seqs.map(String) });
  }

  /** Who reacted to a message (with `emoji`, or any), paged by user id. */
  reactions(conversationId: T.Int64Like, seq: T.Int64Like,
            page: { emoji?: string; afterUserId?: T.Int64Like; limit?: number } = {}): Promise<T.ReactionsResult> {
    return this.call("getReactions", { ...ref(conversationId, seq), emoji: page.emoji,
      afterUserId: opt(page.afterUserId), limit: page.limit }, "reactionsResult");
  }

  /** The log entries after `afterPts` (the client syncs by itself; this is for inspection). */
  sync(afterPts: T.Int64Like, limit = 0): Promise<T.SyncResult> {
    return this.call("sync", { afterPts: String(afterPts), limit }, "syncResult");
  }

  /** A page of a conversation's messages before `beforeSeq` (0: the newest), newest first. */
  history(conversationId: T.Int64Like, beforeSeq: T.Int64Like = 0, limit = 0): Promise<T.HistoryResult> {
    return this.call("history", { conversationId: String(conversationId), beforeSeq: String(beforeSeq), limit },
      "historyResult");
  }

  /** Raises the caller's read marker; the other members get a `read` update. */
  markRead(conversationId: T.Int64Like, upToSeq: T.Int64Like): Promise<T.Ok> {
    return this.mutation("markRead", { conversationId: String(conversationId), upToSeq: String(upToSeq) });
  }

  /**
   * "This device has received the conversation up to upToSeq": raises the user's delivered marker;
   * the other members' online devices get a `delivered` update (pts 0). Sent on its own for other
   * users' messages unless `deliveryReceipts: false`. Makes no log entry: the Ok has no pts.
   */
  markDelivered(conversationId: T.Int64Like, upToSeq: T.Int64Like): Promise<T.Ok> {
    return this.mutation("markDelivered", { conversationId: String(conversationId), upToSeq: String(upToSeq) });
  }

  /** Tells the other members the caller is typing (or, with `stopped`, stopped). */
  typing(conversationId: T.Int64Like, stopped = false): Promise<T.Ok> {
    return this.call("typing", { conversationId: String(conversationId), stopped }, "ok");
  }

  /** The online state of users; with `subscribe`, their changes are pushed to this session. */
  presence(usernames: string[], subscribe = false): Promise<T.PresenceResult> {
    return this.call("presence", { usernames, subscribe }, "presenceResult");
  }

  // ------------------------------------------------------------------ groups and channels

  /** Creates a group; retried with the same `clientId` (after a lost answer) it gets the first group. */
  createGroup(title: string, members: string[] = [], clientId = ""): Promise<T.Ok> {
    return this.mutation("createGroup", { title, members, clientId: clientId || undefined });
  }

  addMember(conversationId: T.Int64Like, username: string, role?: T.Role): Promise<T.Ok> {
    return this.mutation("addMember", { conversationId: String(conversationId), username, role });
  }

  removeMember(conversationId: T.Int64Like, username: string): Promise<T.Ok> {
    return this.mutation("removeMember", { conversationId: String(conversationId), username });
  }

  /** Removes a member and bans them until `unban`. */
  ban(conversationId: T.Int64Like, username: string): Promise<T.Ok> {
    return this.mutation("removeMember", { conversationId: String(conversationId), username, ban: true });
  }

  unban(conversationId: T.Int64Like, username: string): Promise<T.Ok> {
    return this.mutation("unban", { conversationId: String(conversationId), username });
  }

  leave(conversationId: T.Int64Like): Promise<T.Ok> {
    return this.mutation("leave", { conversationId: String(conversationId) });
  }

  /** Changes what `change` sets of a group: title, description, admins-only posting, slow mode. */
  updateGroup(change: T.UpdateGroup): Promise<T.Ok> {
    return this.mutation("updateGroup", { ...change, conversationId: String(change.conversationId) });
  }

  /** Promotes, demotes, or (OWNER) hands the group over; the owner only. */
  setRole(conversationId: T.Int64Like, username: string, role: T.Role): Promise<T.Ok> {
    return this.mutation("setRole", { conversationId: String(conversationId), username, role });
  }

  /** A page of a group's members in user-id order. */
  members(conversationId: T.Int64Like, afterUserId: T.Int64Like = 0, limit = 0): Promise<T.MembersResult> {
    return this.call("getMembers", { conversationId: String(conversationId), afterUserId: String(afterUserId), limit },
      "membersResult");
  }

  createInvite(conversationId: T.Int64Like): Promise<T.Invite> {
    return this.call("createInvite", { conversationId: String(conversationId) }, "invite");
  }

  revokeInvite(conversationId: T.Int64Like, token: string): Promise<T.Ok> {
    return this.mutation("revokeInvite", { conversationId: String(conversationId), token });
  }

  joinByInvite(token: string): Promise<T.Ok> {
    return this.mutation("joinByInvite", { token });
  }

  /** Creates a channel; an empty `publicName` makes it private (joined by invite). A `clientId` as in createGroup. */
  createChannel(title: string, description = "", publicName = "", clientId = ""): Promise<T.Ok> {
    return this.mutation("createChannel", { title, description, publicName, clientId: clientId || undefined });
  }

  /** Subscribes to the public channel with this name. */
  joinChannel(publicName: string): Promise<T.Ok> {
    return this.mutation("joinChannel", { publicName });
  }

  /** Public channels whose name starts with `prefix`. */
  searchChannels(prefix: string, limit = 0): Promise<T.ChannelsResult> {
    return this.call("searchChannels", { prefix, limit }, "channelsResult");
  }

  /** Edits, deletions and reaction changes of a broadcast conversation after `afterChange`. */
  changes(conversationId: T.Int64Like, afterChange: T.Int64Like = 0, limit = 0): Promise<T.ChangesResult> {
    return this.call("getChanges", { conversationId: String(conversationId), afterChange: String(afterChange), limit },
      "changesResult");
  }

  /** A page of the conversation list (with unread counts and previews). */
  dialogs(request: T.GetDialogs = {}): Promise<T.DialogsResult> {
    return this.call("getDialogs", { ...request, beforeActivityMs: opt(request.beforeActivityMs),
      beforeConversationId: opt(request.beforeConversationId) }, "dialogsResult");
  }

  /** Changes this user's settings (mute, archive, pin, draft) for one conversation, on every device. */
  updateDialog(request: T.UpdateDialog): Promise<T.Ok> {
    return this.mutation("updateDialog", { ...request, conversationId: String(request.conversationId),
      muteUntilMs: opt(request.muteUntilMs) });
  }

  conversation(conversationId: T.Int64Like): Promise<T.ConversationInfo> {
    return this.call("getConversation", { conversationId: String(conversationId) }, "conversation");
  }

  // ------------------------------------------------------------------ people and search

  block(username: string): Promise<T.Ok> {
    return this.call("block", { username }, "ok");
  }

  unblock(username: string): Promise<T.Ok> {
    return this.call("block", { username, unblock: true }, "ok");
  }

  blocked(): Promise<T.BlockedResult> {
    return this.call("getBlocked", {}, "blockedResult");
  }

  addContact(username: string): Promise<T.Ok> {
    return this.call("contact", { username }, "ok");
  }

  removeContact(username: string): Promise<T.Ok> {
    return this.call("contact", { username, remove: true }, "ok");
  }

  contacts(): Promise<T.ContactsResult> {
    return this.call("getContacts", {}, "contactsResult");
  }

  /** Who sees your last seen time and read markers; a setting left out stays. */
  setPrivacy(privacy: T.Privacy): Promise<T.Privacy> {
    return this.call("setPrivacy", privacy, "privacy");
  }

  privacy(): Promise<T.Privacy> {
    return this.call("getPrivacy", {}, "privacy");
  }

  /** Messages you can read containing every word of the query, newest first; page with `nextCursor`. */
  searchMessages(query: string | T.SearchMessages): Promise<T.SearchResult> {
    const q = typeof query === "string" ? { query } : query;
    return this.call("searchMessages", { ...q, conversationId: opt(q.conversationId), senderId: opt(q.senderId),
      fromMs: opt(q.fromMs), toMs: opt(q.toMs) }, "searchResult");
  }

  /** Users whose username starts with `prefix` (at least 2 characters), in name order. */
  searchUsers(prefix: string, limit = 0): Promise<T.UsersResult> {
    return this.call("searchUsers", { query: prefix, limit }, "usersResult");
  }

  // ------------------------------------------------------------------ state

  /** The pts up to which every update has been handed on; keep it to `resume` from later. */
  get cursor(): string {
    return this.cursorState.pts.toString();
  }

  /** The ticket to keep for `resume`; undefined before login. Treat it like a password. */
  get ticket(): string | undefined {
    return this.connection.ticket;
  }

  get session(): T.Session | undefined {
    return this.connection.session;
  }

  /** The server's welcome on the current connection (its version and limits). */
  get welcome(): T.Welcome | undefined {
    return this.connection.welcome;
  }

  /** Whether the connection is up and the session authenticated. */
  get connected(): boolean {
    return this.connection.ready();
  }

  /** Sends not yet acknowledged. */
  get unacknowledged(): number {
    return this.outbox.size;
  }

  /** Files over the same server's HTTP endpoints, signed in with this client's ticket. */
  get media(): TernMedia {
    if (!this.mediaValue) {
      const u = new URL(this.options.url);
      const scheme = u.protocol === "wss:" ? "https:" : "http:";
      this.mediaValue = new TernMedia(`${scheme}//${u.host}/`, () => this.connection.ticket,
        this.options.fetch ?? globalThis.fetch.bind(globalThis));
    }
    return this.mediaValue;
  }

  /** Drops the connection as a network failure would; the client reconnects if configured to. */
  dropConnection(): void {
    this.connection.drop();
  }

  /** Closes the connection for good; unacknowledged sends fail with SHUTTING_DOWN. */
  close(): void {
    this.connection.close();
  }

  // ------------------------------------------------------------------ internals

  /** One send attempt on the current connection; the outbox decides about retries. */
  private async transmit(send: T.Send): Promise<T.SendAck> {
    const ack = await this.call<T.SendAck>("send", send as Record<string, unknown>, "sendAck");
    this.cursorState.entry(big(ack.pts), big(ack.prevPts));
    return ack;
  }

  private async mutation(kind: string, body: Record<string, unknown>): Promise<T.Ok> {
    const ok = await this.call<T.Ok>(kind, body, "ok");
    const pts = big(ok.pts);
    if (pts !== 0n) {
      this.cursorState.entry(pts, big(ok.prevPts));
    }
    return ok;
  }

  private call<R>(kind: string, body: object, result: string): Promise<R> {
    return this.connection.call<R>(kind, body, result);
  }

  private emit<K extends keyof TernListener>(type: string, method: K,
                                             detail: Parameters<NonNullable<TernListener[K]>>[0]): void {
    try {
      (this.listener[method] as ((d: unknown) => void) | undefined)?.call(this.listener, detail);
    } catch (e) {
      console.error(`tern: ${method} threw`, e);
    }
    if (typeof CustomEvent === "function") {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    }
  }
}

function opt(v: T.Int64Like | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

function ref(conversationId: T.Int64Like, seq: T.Int64Like): { conversationId: string; seq: string } {
  return { conversationId: String(conversationId), seq: String(seq) };
}

function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") {
    return c.randomUUID();
  }
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}
