import { TernError } from "./errors.js";
import type { Send, SendAck } from "./types.js";

/** Sends in flight at most while nothing is refused (docs/protocol.md, "Pace, do not resend the backlog"). */
export const WINDOW = 8;

/** The refusals that say "too fast": they set the pace, and with orderedSends hold back the sends behind. */
const PACING_CODES: ReadonlySet<string> = new Set(["OVERLOADED", "SEND_RATE_DEVICE", "SEND_RATE_USER"]);

/** Backoff of the other retryable refusals: 50 ms·2ⁿ, at most 10 s. */
const BACKOFF_BASE_MS = 50;
const BACKOFF_MAX_MS = 10_000;

interface Pending {
  readonly send: Send;
  readonly promise: Promise<SendAck>;
  resolve(a: SendAck): void;
  reject(e: unknown): void;
  /** Transmissions so far: from the second on, the send carries `retry: true`. */
  transmissions: number;
  /** Refusals with a retryable code that is not a pacing one: the exponent of the backoff. */
  backoffs: number;
  inFlight: boolean;
  /** The current transmission; an error answer to an older one (before a reconnect) is stale. */
  token: number;
  transmittedAt: number;
  /** Transmitted while pacing: a pacing refusal of it means the gap is too short. */
  paced: boolean;
  /** Not transmitted again before this time (the backoff after a non-pacing refusal). */
  notBefore: number;
}

/** What the outbox needs of the client. */
export interface Transmitter {
  ready(): boolean;
  transmit(send: Send): Promise<SendAck>;
}

/** Time, timers and chance, as the outbox uses them; tests pass a fake one. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A number in [0, 1). */
  random(): number;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

/**
 * Sends not yet acknowledged, in the order they were made, each under its one client message id
 * until an ack or a final refusal; from the second transmission on with `retry: true`. It paces as
 * docs/protocol.md ("Pace, do not resend the backlog") prescribes:
 *
 * - while nothing is refused (`gap` 0), up to {@link WINDOW} sends are in flight, in order;
 * - a pacing refusal (OVERLOADED, SEND_RATE_DEVICE, SEND_RATE_USER) sets `gap` to its hint (or
 *   grows it by the hint when the refused send already went out paced), and from then on one send
 *   is in flight at a time, each `gap` after the previous one went out, the first no sooner than
 *   the hint plus up to a quarter more; `gap` returns to 0 when the outbox is empty;
 * - another retryable refusal sends that send again after max(hint, jittered 50 ms·2ⁿ, at most
 *   10 s), and until then none of the sends behind it that have not gone out;
 * - a final refusal and SLOW_MODE reject the send's promise; the sends behind it go on;
 * - after a reconnect and resume ({@link flush}) the sends that were in flight go out again; the
 *   gap stays.
 *
 * Since the server is told `orderedSends` in hello, it refuses the sends behind one it refused for
 * pace until that one comes back, so they are stored in the order they were made; a send refused
 * for another reason (STORAGE_UNAVAILABLE fails after ordering) may be overtaken by the sends
 * already in flight behind it.
 */
export class Outbox {
  private readonly pending = new Map<string, Pending>();
  private inFlight = 0;
  private tokens = 0;
  /** Ms from one transmission to the next; 0 = not pacing. */
  private gap = 0;
  /** While pacing, the next transmission is not before this time. */
  private nextAt = 0;
  private wakeTimer: unknown;
  private wakeAt = 0;

  constructor(private readonly client: Transmitter, private readonly clock: Clock = systemClock) {}

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
    this.pending.set(id, {
      send, promise, resolve, reject, transmissions: 0, backoffs: 0, inFlight: false, token: 0,
      transmittedAt: 0, paced: false, notBefore: 0,
    });
    this.pump();
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * After a reconnect and resume: the sends in flight on the old connection are untransmitted
   * again (a late answer from there is ignored, unless it is an ack), and go out in order as the
   * pace allows. The gap stays: the limits did not change with the connection.
   */
  flush(): void {
    for (const p of this.pending.values()) {
      if (p.inFlight) {
        p.inFlight = false;
        p.token = 0;
      }
    }
    this.inFlight = 0;
    this.pump();
  }

  failAll(e: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.inFlight = 0;
    this.gap = 0;
    this.nextAt = 0;
    this.sleep();
    for (const p of all) {
      p.reject(e);
    }
  }

  /** Transmits what the pace allows now, and sets a timer for when more will be due. */
  private pump(): void {
    if (!this.client.ready()) {
      return; // flush() runs after the next resume
    }
    const now = this.clock.now();
    if (this.gap === 0) {
      for (const p of this.pending.values()) {
        if (p.inFlight) {
          continue;
        }
        if (this.inFlight >= WINDOW) {
          return; // an answer frees a place
        }
        if (p.notBefore > now) {
          this.wake(p.notBefore); // it holds back the sends behind it
          return;
        }
        this.transmit(p, now);
      }
      return;
    }
    if (this.inFlight > 0) {
      return; // one at a time while pacing: its answer pumps again
    }
    const first = this.pending.values().next().value;
    if (first === undefined) {
      return;
    }
    const due = Math.max(this.nextAt, first.notBefore);
    if (due > now) {
      this.wake(due);
      return;
    }
    this.transmit(first, now);
  }

  private transmit(p: Pending, now: number): void {
    p.inFlight = true;
    p.token = ++this.tokens;
    p.transmittedAt = now;
    p.paced = this.gap > 0;
    p.transmissions++;
    this.inFlight++;
    // From the second transmission on the server may have it already: say so, and it answers a
    // stored send with its first ack before giving it new numbers.
    const send = p.transmissions === 1 ? p.send : { ...p.send, retry: true };
    const token = p.token;
    let answer: Promise<SendAck>;
    try {
      answer = this.client.transmit(send);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then((ack) => this.acknowledged(p, ack),
      (e) => this.refused(p, token, e ?? new Error("send failed")));
  }

  private acknowledged(p: Pending, ack: SendAck): void {
    // An ack is good whichever transmission it answers: the message is stored.
    if (this.pending.get(p.send.clientMsgId!) !== p) {
      return; // acked by another transmission, or failed meanwhile (logout, close)
    }
    this.remove(p);
    this.nextAt = p.transmittedAt + this.gap; // (gap 0, when the outbox emptied: no pace to keep)
    p.resolve(ack);
    this.pump();
  }

  private refused(p: Pending, token: number, error: unknown): void {
    if (this.pending.get(p.send.clientMsgId!) !== p || p.token !== token) {
      return; // answered or failed meanwhile, or a transmission before the last reconnect
    }
    p.inFlight = false;
    this.inFlight--;
    const now = this.clock.now();
    const code = error instanceof TernError ? error.code : undefined;
    if (code !== undefined && PACING_CODES.has(code)) {
      // The hint is the time until the limit's next permit (OVERLOADED: twice the server's
      // backlog). A send that went out paced and was refused anyway went out that much too early.
      // A hint is always given with these codes; without one, the backoff's base stands in.
      const hint = (error as TernError).retryAfterMs > 0 ? (error as TernError).retryAfterMs : BACKOFF_BASE_MS;
      this.gap = p.paced ? this.gap + hint : Math.max(this.gap, hint);
      // Clients refused together must not all come back in the same millisecond.
      this.nextAt = Math.max(this.nextAt, now + hint + Math.floor(this.clock.random() * (Math.floor(hint / 4) + 1)));
      // It is untransmitted again, as are the sends behind it: those in flight come back refused too.
    } else if (code === "CONNECTION_CLOSED") {
      // Untransmitted again: after the reconnect and resume, flush() sends it first.
    } else if (error instanceof TernError && (!error.retryable || code === "SLOW_MODE")) {
      // SLOW_MODE is retryable but not retried: its wait is the group's rule (up to a day), for the
      // application to show; retried, the message would go much later and hold every send behind it.
      this.remove(p);
      p.reject(error);
    } else {
      // STORAGE_UNAVAILABLE, INTERNAL, SHUTTING_DOWN, REQUEST_TIMEOUT: the server could not take it
      // now; pacing would not help.
      p.backoffs++;
      const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(p.backoffs, 8));
      const jittered = base / 2 + Math.floor(this.clock.random() * (base / 2 + 1));
      const hint = error instanceof TernError ? error.retryAfterMs : 0;
      p.notBefore = now + Math.max(hint, jittered);
    }
    this.pump();
  }

  private remove(p: Pending): void {
    this.pending.delete(p.send.clientMsgId!);
    if (p.inFlight) {
      p.inFlight = false;
      this.inFlight--;
    }
    if (this.pending.size === 0) {
      this.gap = 0; // the burst is over
      this.nextAt = 0;
      this.sleep();
    }
  }

  /** One timer at a time, for the earliest moment something becomes due; pump() sets the next. */
  private wake(at: number): void {
    if (this.wakeTimer !== undefined && this.wakeAt === at) {
      return;
    }
    this.sleep();
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, at - this.clock.now());
  }

  private sleep(): void {
    if (this.wakeTimer !== undefined) {
      this.clock.clearTimeout(this.wakeTimer);
      this.wakeTimer = undefined;
    }
  }
}
