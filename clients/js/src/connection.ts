import { big, type Cursor, unref } from "./cursor.js";
import { TernError } from "./errors.js";
import type { ResolvedOptions, TernListener } from "./options.js";
import type { Outbox } from "./outbox.js";
import type { DeliveryReceipts } from "./receipts.js";
import type * as T from "./types.js";
import { Wire, type WebSocketConstructor } from "./wire.js";

const CLIENT_NAME = "tern-js/0.1";

/** Calls the listener's method and dispatches the same event on the client (TernClient.emit). */
export type Emit = <K extends keyof TernListener>(type: string, method: K,
                                                 detail: Parameters<NonNullable<TernListener[K]>>[0]) => void;

/** The parts of the client the connection hands the session to when it is (re-)established. */
export interface SessionParts {
  readonly cursor: Cursor;
  readonly outbox: Outbox;
  readonly receipts: DeliveryReceipts | undefined; // undefined when turned off
}

/**
 * The connection lifecycle of one TernClient: opens the WebSocket and exchanges hello, pings, routes
 * pushes, and after a dropped connection reconnects with jittered backoff, resumes the ticket and
 * hands the session back to the cursor (which syncs), the outbox (which transmits again) and the
 * delivery receipts. It also holds what a reconnect needs and a logout or a revocation ends: the
 * ticket, the session and whether it is authenticated.
 *
 * Events it emits: "connection" (true once the session is up, false when an authenticated
 * connection drops), "typing", "presence" and "goodbye"; updates and news go through the cursor.
 * One reconnect is scheduled at a time, and the close of a connection that was replaced is ignored.
 */
export class Connection {
  private wire: Wire | undefined;
  private ticketValue: string | undefined;
  private sessionValue: T.Session | undefined;
  private welcomeValue: T.Welcome | undefined;
  private authenticated = false;
  private closed = false;
  private reconnectAttempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: ResolvedOptions,
              private readonly WebSocketImpl: WebSocketConstructor,
              private readonly parts: SessionParts,
              private readonly emit: Emit) {}

  /** Starts the heartbeat and opens the first connection; resolves when the server welcomed it. */
  start(): Promise<T.Welcome> {
    this.pingTimer = setInterval(() => this.ping(), this.options.pingIntervalMs);
    unref(this.pingTimer);
    return this.open();
  }

  private async open(): Promise<T.Welcome> {
    const w = await Wire.open(this.options.url, this.WebSocketImpl, this.options.connectTimeoutMs,
      (f) => this.onPush(f), (gone) => this.onDisconnect(gone));
    if (this.closed) {
      w.close();
      throw new TernError("SHUTTING_DOWN", "client closed");
    }
    this.wire = w;
    // orderedSends: the outbox retries refused sends first, in order, so the server may hold back
    // the sends behind one it refused (protocol.md, "Ordering guarantees").
    this.welcomeValue = await this.call<T.Welcome>("hello",
      { protocolVersion: 1, client: CLIENT_NAME, orderedSends: true }, "welcome");
    return this.welcomeValue;
  }

  /** One request on the current connection; an error frame rejects with a TernError. */
  async call<R>(kind: string, body: object, result: string): Promise<R> {
    const w = this.wire;
    if (!w || this.closed) {
      throw new TernError("SHUTTING_DOWN", this.closed ? "client closed" : "not connected", !this.closed);
    }
    const f = await w.request({ [kind]: body }, this.options.requestTimeoutMs);
    if (f.error) {
      throw TernError.fromFrame(f.error as T.ErrorBody);
    }
    if (!(result in f)) {
      throw new TernError("INTERNAL", `expected ${result}, got ${JSON.stringify(f).slice(0, 200)}`);
    }
    return f[result] as R;
  }

  // ------------------------------------------------------------------ session state

  get ticket(): string | undefined {
    return this.ticketValue;
  }

  get session(): T.Session | undefined {
    return this.sessionValue;
  }

  get welcome(): T.Welcome | undefined {
    return this.welcomeValue;
  }

  /**
   * Login or resume answered: `ticket` is what reconnects resume, and the cursor starts at `pts`
   * (what arrived before the answer is left to the sync that follows).
   */
  signedIn(ticket: string | undefined, pts: bigint, s: T.Session): T.Session {
    this.ticketValue = ticket;
    this.parts.cursor.reset(pts);
    return this.authenticatedAs(s);
  }

  /** A password change: a new ticket for the reconnects, on the same connection and cursor. */
  ticketChanged(s: T.Session): T.Session {
    this.ticketValue = s.ticket;
    this.sessionValue = s;
    return s;
  }

  /** After a logout: nothing to resume, and nothing of this session may leak into a later login. */
  loggedOut(): void {
    this.ticketValue = undefined;
    this.authenticated = false;
    this.parts.outbox.failAll(new TernError("NOT_AUTHENTICATED", "logged out"));
    this.parts.cursor.forget();
    this.parts.receipts?.forget();
  }

  /** Whether the connection is up and the session authenticated (the outbox transmits only then). */
  ready(): boolean {
    return this.authenticated && !this.closed && this.wire !== undefined && this.wire.isOpen;
  }

  /** Drops the connection as a network failure would. */
  drop(): void {
    this.wire?.abort();
  }

  /** For good: unacknowledged sends fail with SHUTTING_DOWN, timers stop, no reconnect follows. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.authenticated = false;
    this.parts.outbox.failAll(new TernError("SHUTTING_DOWN", "client closed"));
    clearInterval(this.pingTimer);
    clearTimeout(this.reconnectTimer);
    this.parts.cursor.close();
    this.parts.receipts?.forget();
    this.wire?.close();
  }

  private authenticatedAs(s: T.Session): T.Session {
    this.sessionValue = s;
    this.authenticated = true;
    this.reconnectAttempt = 0;
    this.emit("connection", "onConnection", true);
    this.parts.cursor.gap();
    this.parts.outbox.flush();
    this.parts.receipts?.reconnected();
    return s;
  }

  // ------------------------------------------------------------------ the wire's callbacks

  private onPush(f: T.ServerFrame): void {
    if (f.update) {
      const u = (f.update as { update?: T.Update }).update ?? {};
      const pts = big(u.pts);
      if (pts === 0n) {
        this.parts.cursor.outsideLog(u); // a broadcast conversation's message, a delivered marker
      } else {
        this.parts.cursor.entry(pts, big(u.prevPts), u);
      }
    } else if (f.typing) {
      this.emit("typing", "onTyping", f.typing as T.TypingPush);
    } else if (f.presence) {
      this.emit("presence", "onPresence", (f.presence as { presence?: T.Presence }).presence ?? {});
    } else if (f.goodbye) {
      const g = f.goodbye as T.Goodbye;
      if (g.reason === "SESSION_REVOKED") {
        this.ticketValue = undefined; // logged out elsewhere: nothing to resume, nothing can be sent
        this.parts.outbox.failAll(new TernError("SESSION_REVOKED", g.message ?? ""));
      }
      this.emit("goodbye", "onGoodbye", g);
    }
  }

  private onDisconnect(gone: Wire): void {
    if (gone !== this.wire) {
      return; // an older connection's late close
    }
    const wasUp = this.authenticated;
    this.authenticated = false;
    if (wasUp) {
      this.emit("connection", "onConnection", false);
    }
    this.scheduleReconnect();
  }

  // ------------------------------------------------------------------ reconnects

  private scheduleReconnect(): void {
    if (this.closed || !this.options.reconnect || !this.ticketValue || this.reconnectTimer !== undefined) {
      return;
    }
    const attempt = this.reconnectAttempt++;
    const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
    const delay = base / 2 + Math.floor(Math.random() * (base / 2 + 1));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    const ticket = this.ticketValue;
    if (this.closed || !ticket) {
      return;
    }
    try {
      await this.open();
      const s = await this.call<T.Session>("resume", { ticket }, "session");
      if (this.ticketValue === ticket) {
        this.authenticatedAs(s);
      }
    } catch (e) {
      if (e instanceof TernError && (e.code === "TICKET_INVALID" || e.code === "TICKET_EXPIRED")) {
        this.ticketValue = undefined; // nothing to resume: the application must log in again
        this.parts.outbox.failAll(e);
      } else if (this.wire && this.wire.isOpen) {
        this.wire.abort(); // its close schedules the next attempt
      } else {
        this.scheduleReconnect();
      }
    }
  }

  private ping(): void {
    const w = this.wire;
    if (w && w.isOpen) {
      w.request({ ping: {} }, this.options.requestTimeoutMs).catch(() => undefined);
    }
  }
}
