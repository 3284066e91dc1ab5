// The cursor on its own, with a fake server (the outbox's tests are in outbox.test.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Cursor } from "../dist/cursor.js";

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
