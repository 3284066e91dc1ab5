// The cursor and the outbox on their own, with a fake server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Cursor } from "../dist/cursor.js";
import { TernError } from "../dist/errors.js";
import { Outbox } from "../dist/outbox.js";

const upd = (pts, prevPts) => ({ pts: String(pts), prevPts: String(prevPts), message: { text: `e${pts}` } });

test("cursor: in-order entries apply at once; a gap syncs; held entries apply once after the sync", async () => {
  const applied = [];
  const log = [1, 2, 3, 4, 5, 6].map((p) => upd(p, p - 1));
  const fetches = [];
  const cursor = new Cursor({ update: (u) => applied.push(Number(u.pts)), news: () => {} }, async (after) => {
    fetches.push(after);
    await new Promise((r) => setTimeout(r, 10));
    return { updates: log.filter((u) => BigInt(u.pts) > after && Number(u.pts) <= 4), pts: "4" };
  });
  cursor.reset(0n);
  cursor.entry(1n, 0n, log[0]);
  cursor.entry(1n, 0n, log[0]); // a duplicate
  assert.deepEqual(applied, [1]);
  cursor.entry(3n, 2n, log[2]); // 2 is missing: a gap
  cursor.entry(5n, 4n, log[4]); // arrives during the sync: held
  cursor.entry(6n, 5n, log[5]);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(fetches, [1n]);
  assert.deepEqual(applied, [1, 2, 3, 4, 5, 6]);
  assert.equal(cursor.pts, 6n);
  cursor.entry(7n, 6n); // the device's own entry: moves the cursor, nothing to deliver
  assert.equal(cursor.pts, 7n);
  cursor.outsideLog({ message: { text: "broadcast" } });
  assert.equal(applied.length, 7);
  cursor.forget();
  cursor.entry(8n, 7n, upd(8, 7)); // no cursor after a logout
  assert.equal(applied.length, 7);
});

test("outbox: OVERLOADED is retried under the same id with retry:true after retryAfterMs plus jitter", async () => {
  const transmissions = [];
  let ready = true;
  const outbox = new Outbox({
    ready: () => ready,
    transmit: async (send) => {
      transmissions.push({ send, at: Date.now() });
      if (transmissions.length === 1) throw new TernError("OVERLOADED", "busy", true, 200);
      return { clientMsgId: send.clientMsgId, seq: "9" };
    },
  });
  const ack = await outbox.add({ clientMsgId: "c1", conversationId: "1", contentType: "text/plain", text: "x" });
  assert.equal(ack.seq, "9");
  assert.equal(transmissions.length, 2);
  assert.equal(transmissions[0].send.retry, undefined);
  assert.equal(transmissions[1].send.retry, true);
  assert.equal(transmissions[1].send.clientMsgId, "c1");
  const waited = transmissions[1].at - transmissions[0].at;
  assert.ok(waited >= 195 && waited <= 400, `waited ${waited} ms`);

  // Not connected: held until flush(); a final refusal is not retried.
  ready = false;
  const held = outbox.add({ clientMsgId: "c2", text: "y" });
  assert.equal(outbox.size, 1);
  assert.equal(transmissions.length, 2);
  ready = true;
  outbox.flush();
  await held;
  const refusing = new Outbox({ ready: () => true, transmit: async () => { throw new TernError("NOT_MEMBER", "no"); } });
  await assert.rejects(refusing.add({ clientMsgId: "c3" }), (e) => e.code === "NOT_MEMBER");
  assert.equal(refusing.size, 0);

  // SLOW_MODE is retryable, but handed to the application at once; the next send is not held.
  const slowSent = [];
  const slow = new Outbox({ ready: () => true, transmit: async (send) => {
    slowSent.push(send.clientMsgId);
    if (send.clientMsgId === "s1") throw new TernError("SLOW_MODE", "wait", true, 60_000);
    return { clientMsgId: send.clientMsgId, seq: "5" };
  } });
  const refused = slow.add({ clientMsgId: "s1" });
  const next = slow.add({ clientMsgId: "s2" });
  await assert.rejects(refused, (e) => e.code === "SLOW_MODE" && e.retryAfterMs === 60_000);
  assert.equal((await next).seq, "5");
  assert.deepEqual(slowSent, ["s1", "s2"]);
});
