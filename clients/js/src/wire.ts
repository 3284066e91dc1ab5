import { TernError } from "./errors.js";
import type { ServerFrame } from "./types.js";

/** The part of the WebSocket API the client uses: the browser's, or a compatible one (npm `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** npm `ws`: drop the TCP connection at once. */
  terminate?: () => void;
  onopen: ((ev: any) => any) | null;
  onmessage: ((ev: { data: any }) => any) | null;
  onclose: ((ev: any) => any) | null;
  onerror: ((ev: any) => any) | null;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export const JSON_SUBPROTOCOL = "tern.v1.json";
const OPEN = 1;

interface Waiting {
  resolve(f: ServerFrame): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One WebSocket connection speaking JSON frames: assigns request ids, matches responses to them,
 * hands pushes and the close to its owner.
 */
export class Wire {
  private readonly pending = new Map<string, Waiting>();
  private ids = 0;
  private closed = false;

  private constructor(
    private readonly socket: WebSocketLike,
    private readonly onPush: (f: ServerFrame) => void,
    private readonly onClose: (w: Wire) => void,
  ) {}

  /** Opens a connection; resolves once the handshake is done. */
  static open(url: string, WebSocket: WebSocketConstructor, connectTimeoutMs: number,
              onPush: (f: ServerFrame) => void, onClose: (w: Wire) => void): Promise<Wire> {
    return new Promise((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new WebSocket(url, JSON_SUBPROTOCOL);
      } catch (e) {
        reject(e);
        return;
      }
      const wire = new Wire(socket, onPush, onClose);
      let opened = false;
      const timer = setTimeout(() => {
        if (!opened) {
          wire.abort();
          reject(new TernError("REQUEST_TIMEOUT", `no WebSocket handshake with ${url} in ${connectTimeoutMs} ms`, true));
        }
      }, connectTimeoutMs);
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve(wire);
      };
      socket.onmessage = (ev) => wire.received(ev.data);
      socket.onerror = () => {
        if (!opened) {
          clearTimeout(timer);
          wire.closedNow();
          reject(new TernError("CONNECTION_CLOSED", `cannot connect to ${url}`, true));
        }
      };
      socket.onclose = () => {
        if (!opened) {
          clearTimeout(timer);
          reject(new TernError("CONNECTION_CLOSED", `cannot connect to ${url}`, true));
        }
        wire.closedNow();
      };
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === OPEN;
  }

  /** Sends a request (`{kind: body}`; its id is assigned here) and resolves with its response frame. */
  request(frame: Record<string, unknown>, timeoutMs: number): Promise<ServerFrame> {
    const id = String(++this.ids);
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new TernError("CONNECTION_CLOSED", "connection closed", true));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TernError("REQUEST_TIMEOUT", `no response in ${timeoutMs} ms`, true));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.socket.send(JSON.stringify({ id, ...frame }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new TernError("CONNECTION_CLOSED", `cannot send: ${e}`, true));
      }
    });
  }

  /** Sends raw text, for tests of the server's handling of bad input. */
  sendRaw(text: string): void {
    this.socket.send(text);
  }

  /** Closes with a close handshake. */
  close(): void {
    if (!this.closed) {
      try {
        this.socket.close(1000, "bye");
      } catch {
        // already closing
      }
    }
  }

  /** Drops the connection at once, as a network failure would (npm `ws`: the TCP connection). */
  abort(): void {
    try {
      if (this.socket.terminate) {
        this.socket.terminate();
      } else {
        this.socket.close(1000, "abort");
      }
    } catch {
      // already gone
    }
    this.closedNow();
  }

  private received(data: unknown): void {
    if (typeof data !== "string") {
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        data = new TextDecoder().decode(data as ArrayBuffer);
      } else {
        return;
      }
    }
    let f: ServerFrame;
    try {
      f = JSON.parse(data as string);
    } catch {
      this.abort();
      return;
    }
    if (f.id) {
      const waiting = this.pending.get(f.id);
      if (waiting) {
        this.pending.delete(f.id);
        clearTimeout(waiting.timer);
        waiting.resolve(f);
        return;
      }
    }
    this.onPush(f);
  }

  private closedNow(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const gone = new TernError("CONNECTION_CLOSED", "connection closed", true);
    for (const w of this.pending.values()) {
      clearTimeout(w.timer);
      w.reject(gone);
    }
    this.pending.clear();
    this.onClose(this);
  }
}
