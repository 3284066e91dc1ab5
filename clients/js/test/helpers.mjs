// Shared by the tests: the server's address, users with recorded events, waiting for conditions.
import WebSocket from "ws";
import { TernClient } from "../dist/index.js";

export const url = process.env.TERNJS_URL ?? "ws://127.0.0.1:8080/ws";
export const PASSWORD = "correct horse battery";

let counter = 0;
/** A username no other test (or earlier run against the same server) has used. */
export function uniqueName(prefix = "u") {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${counter++}`.slice(0, 32);
}

/** Everything a client's listener got, in order. */
export class Recorder {
  updates = [];
  news = [];
  typing = [];
  presence = [];
  connections = [];
  goodbyes = [];
  listener = {
    onUpdate: (u) => this.updates.push(u),
    onNews: (n) => this.news.push(n),
    onTyping: (t) => this.typing.push(t),
    onPresence: (p) => this.presence.push(p),
    onConnection: (up) => this.connections.push(up),
    onGoodbye: (g) => this.goodbyes.push(g),
  };

  /** The texts of the messages (in updates) of one conversation, in arrival order. */
  texts(conversationId) {
    return this.updates.filter((u) => u.message && u.message.conversationId === String(conversationId) && u.message.text)
      .map((u) => u.message.text);
  }
}

/** A WebSocket that records the frames the client sends. */
export function spying(sent) {
  return class extends WebSocket {
    send(data, ...rest) {
      sent.push(JSON.parse(data));
      return super.send(data, ...rest);
    }
  };
}

/** `options.url` (a server of a test's own) wins over the shared server's. */
export function connect(options = {}, listener) {
  return TernClient.connect({ url, WebSocket, requestTimeoutMs: 10_000, ...options }, listener);
}

/** Registers a new user and logs them in on a new client; `rec` holds what its listener got. */
export async function user(prefix = "u", options = {}) {
  const name = uniqueName(prefix);
  const rec = new Recorder();
  const client = await connect(options, rec.listener);
  await client.register(name, PASSWORD);
  const session = await client.login(name, PASSWORD, "test");
  return { name, client, rec, session };
}

/** Resolves once `check()` is truthy (returning its value); fails after `ms` with `what`. */
export async function eventually(check, what = "condition", ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function closeAll(...users) {
  for (const u of users) u?.client?.close();
}
