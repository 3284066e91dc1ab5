import { TernError } from "./errors.js";
import type { Send, SendAck } from "./types.js";

interface Pending {
  readonly send: Send;
  readonly promise: Promise<SendAck>;
  resolve(a: SendAck): void;
  reject(e: unknown): void;
  attempts: number;
  inFlight: boolean;
  notBefore: number;
}

/** What the outbox needs of the client. */
export interface Transmitter {
  ready(): boolean;
  transmit(send: Send): Promise<SendAck>;
}

/**
 * Sends not yet acknowledged, in the order they were made. Each is transmitted under its one client
 * message id until an ack or a final refusal; from the second transmission on with `retry: true`.
 * A send waiting out a retry delay holds back the ones not yet transmitted behind it, so across
 * reconnects the server orders a device's messages as the application made them. Retry delays are
 * jittered exponential backoff (50 ms·2ⁿ, at most 10 s), never shorter than the server's
 * retryAfterMs plus up to a quarter more.
 */
export class Outbox {
  private readonly pending = new Map<string, Pending>();
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly client: Transmitter) {}

  add(send: Send): Promise<SendAck> {
    const id = send.clientMsgId!;
    const existing = this.pending.get(id);
    if (existing) {
      return existing.promise;
    }
    let resolve!: (a: SendAck) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<SendAck>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending.set(id, { send, promise, resolve, reject, attempts: 0, inFlight: false, notBefore: 0 });
    this.pump();
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }

  /** After a reconnect: everything in flight on the old connection is transmitted again, in order. */
  flush(): void {
    for (const p of this.pending.values()) {
      p.inFlight = false;
    }
    this.pump();
  }

  failAll(e: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    for (const p of all) {
      p.reject(e);
    }
  }

  /** Transmits, in order, every send that is due; stops at the first one still waiting to retry. */
  private pump(): void {
    if (!this.client.ready()) {
      return; // flush() runs after the next resume
    }
    const now = Date.now();
    for (const p of this.pending.values()) {
      if (p.inFlight) {
        continue;
      }
      if (p.notBefore > now) {
        break;
      }
      p.inFlight = true;
      p.attempts++;
      // From the second transmission on the server may have it already: say so, and it answers a
      // stored send with its first ack before giving it new numbers.
      const send = p.attempts === 1 ? p.send : { ...p.send, retry: true };
      this.client.transmit(send).then((ack) => this.completed(p, ack, undefined),
        (e) => this.completed(p, undefined, e ?? new Error("send failed")));
    }
  }

  private completed(p: Pending, ack: SendAck | undefined, error: unknown): void {
    p.inFlight = false;
    if (this.pending.get(p.send.clientMsgId!) !== p) {
      return; // failed meanwhile (logout, close)
    }
    if (error === undefined) {
      this.pending.delete(p.send.clientMsgId!);
      p.resolve(ack!);
      return;
    }
    // SLOW_MODE is retryable but not retried: its wait is the group's rule (up to a day), for the
    // application to show; retried, the message would go much later and hold every send behind it.
    if (error instanceof TernError && (!error.retryable || error.code === "SLOW_MODE")) {
      this.pending.delete(p.send.clientMsgId!);
      p.reject(error);
      return;
    }
    const hint = error instanceof TernError ? error.retryAfterMs : 0;
    const base = Math.min(10_000, 50 * 2 ** Math.min(p.attempts, 8));
    // Clients refused together must not all come back in the same millisecond.
    const hinted = hint <= 0 ? 0 : hint + Math.floor(Math.random() * (hint / 4 + 1));
    const delay = Math.max(hinted, base / 2 + Math.floor(Math.random() * (base / 2 + 1)));
    p.notBefore = Date.now() + delay;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.pump();
    }, delay);
    this.timers.add(t);
  }
}
