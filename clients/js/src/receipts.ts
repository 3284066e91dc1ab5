import { big, unref } from "./cursor.js";
import { TernError } from "./errors.js";
import type { Update } from "./types.js";

/** How long a conversation's delivered marker waits for more messages before it is sent. */
export const RECEIPT_WINDOW_MS = 250;
const RETRY_MS = 1000; // after a refusal by an overloaded server

/**
 * Delivered markers for the messages of other users the client hands the application (pushes and
 * sync pages alike), coalesced: a conversation's first message opens a window, and when it closes
 * one markDelivered carries the highest seq seen in it, so a sync page of 2,000 messages costs one
 * request per conversation, not one per message.
 *
 * Only direct chats: the user's own messages are left out, and so are groups and channels, where
 * the server pushes delivered markers to nobody (every member's marker reaching every other member
 * would be members² pushes per message), so a request would only cost a write.
 */
export class DeliveryReceipts {
  private readonly pending = new Map<string, bigint>();
  private readonly sent = new Map<string, bigint>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private generation = 0;

  constructor(private readonly me: () => bigint,
              private readonly send: (conversationId: string, upToSeq: string) => Promise<unknown>) {}

  /** An update the application is being handed: notes the messages of others it carries. */
  handed(u: Update): void {
    const m = u.message;
    // Direct chats only: the server pushes no group markers (members² pushes per message).
    if (!m || big(u.pts) === 0n || m.conversationKind !== "DIRECT" || big(m.senderId) === this.me()) {
      return;
    }
    this.note(String(big(m.conversationId)), big(m.seq), RECEIPT_WINDOW_MS);
  }

  /** The session is (re-)established: what failed for want of a connection goes now. */
  reconnected(): void {
    for (const [conversation, seq] of this.pending) {
      this.note(conversation, seq, RECEIPT_WINDOW_MS);
    }
  }

  /** After a logout or close: nothing carries over to the next login. */
  forget(): void {
    this.generation++; // answers to receipts of the earlier login are ignored
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.pending.clear();
    this.sent.clear();
  }

  private note(conversation: string, seq: bigint, delayMs: number): void {
    if (seq <= (this.sent.get(conversation) ?? 0n)) {
      return;
    }
    const was = this.pending.get(conversation) ?? 0n;
    this.pending.set(conversation, seq > was ? seq : was);
    if (!this.timers.has(conversation)) {
      const t = setTimeout(() => this.flush(conversation), delayMs);
      unref(t);
      this.timers.set(conversation, t);
    }
  }

  private flush(conversation: string): void {
    this.timers.delete(conversation);
    const seq = this.pending.get(conversation);
    this.pending.delete(conversation);
    if (seq === undefined || seq <= (this.sent.get(conversation) ?? 0n)) {
      return;
    }
    this.sent.set(conversation, seq);
    const sentIn = this.generation;
    this.send(conversation, String(seq)).catch((e: unknown) => {
      if (sentIn !== this.generation || !(e instanceof TernError) || !e.retryable) {
        return; // left the conversation, logged out: the marker is not worth more
      }
      if (this.sent.get(conversation) === seq) {
        this.sent.delete(conversation);
      }
      if (e.code === "SHUTTING_DOWN") {
        const was = this.pending.get(conversation) ?? 0n;
        this.pending.set(conversation, seq > was ? seq : was); // not connected: sent on reconnect
      } else {
        this.note(conversation, seq, Math.max(RETRY_MS, e.retryAfterMs ?? 0));
      }
    });
  }
}
