import type * as T from "./types.js";
import type { WebSocketConstructor } from "./wire.js";

/** Callbacks from the client, in order. Every one is optional. */
export interface TernListener {
  /**
   * An update of the user's log, exactly once and in pts order (entries this device made itself,
   * such as its own sends, are not repeated unless they come by sync after a gap); or a push outside
   * the log (pts 0: a broadcast conversation's message or change, or a `delivered` marker), as it comes.
   */
  onUpdate?(update: T.Update): void;
  /** After a sync: a broadcast conversation (channel) has unread messages; read them with history. */
  onNews?(news: T.ConversationNews): void;
  onTyping?(typing: T.TypingPush): void;
  onPresence?(presence: T.Presence): void;
  /** The connection is up and the session resumed (true), or it dropped (false). */
  onConnection?(up: boolean): void;
  /** The server said why it closes the connection. */
  onGoodbye?(goodbye: T.Goodbye): void;
}

/** What TernClient.connect takes; the defaults are filled in by `withDefaults` below. */
export interface ClientOptions {
  /** ws://host:port/ws, or wss://host:port/ws with TLS. */
  url: string;
  /** Binary protobuf frames are not offered by this SDK: JSON text frames (tern.v1.json) only. */
  binary?: false;
  /** Reconnect and resume automatically after a dropped connection (default true). */
  reconnect?: boolean;
  /** A request with no response in this time fails with REQUEST_TIMEOUT (sends are retried instead). Default 10 s. */
  requestTimeoutMs?: number;
  /** Heartbeat interval; keep it well below the server's idle timeout. Default 20 s. */
  pingIntervalMs?: number;
  /** Time allowed for the WebSocket handshake. Default 10 s. */
  connectTimeoutMs?: number;
  /** The WebSocket constructor (default: the global one; in Node 20 pass the npm `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** The fetch used for media (default: the global one). */
  fetch?: typeof fetch;
  /** Callbacks; the same events are also dispatched as CustomEvents on the client (see TernClient). */
  listener?: TernListener;
  /**
   * Send delivered markers on its own for other users' messages handed to the application, one
   * `markDelivered` per conversation per 250 ms carrying the highest seq (default true).
   */
  deliveryReceipts?: boolean;
}

/** The options with their defaults filled in, as the client and its connection use them. */
export type ResolvedOptions = Required<Pick<ClientOptions,
  "url" | "reconnect" | "requestTimeoutMs" | "pingIntervalMs" | "connectTimeoutMs">> & ClientOptions;

/** Fills in the defaults documented above; a `listener` passed on its own wins over `options.listener`. */
export function withDefaults(options: ClientOptions, listener: TernListener | undefined): ResolvedOptions {
  return {
    reconnect: true, requestTimeoutMs: 10_000, pingIntervalMs: 20_000, connectTimeoutMs: 10_000,
    ...options, listener: listener ?? options.listener,
  };
}
