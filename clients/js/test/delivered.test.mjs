import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAll, connect, eventually, Recorder, user } from "./helpers.mjs";

const dialogOf = async (u, chat) => (await u.client.dialogs()).dialogs.find((d) => d.conversationId === chat);

test("the recipient's SDK reports delivery on its own, once per conversation, and the sender's dialog shows it", async () => {
  const alice = await user("dlv");
  const bob = await user("dlv");
  const ticket = bob.client.ticket;
  const cursor = bob.client.cursor;
  bob.client.close(); // offline while alice writes
  let back;
  try {
    const chat = (await alice.client.sendTextTo(bob.name, "one")).conversationId;
    await alice.client.sendText(chat, "two");
    const third = await alice.client.sendText(chat, "three");
    const before = await dialogOf(alice, chat);
    assert.equal(before.peerDeliveredSeq, undefined); // 0 is omitted
    assert.equal(before.peerReadSeq, undefined);

    // Bob's device comes back and syncs the three messages: one markDelivered carries the highest seq.
    const rec = new Recorder();
    back = await connect({}, rec.listener);
    await back.resume(ticket, cursor);
    await eventually(() => rec.texts(chat).length === 3, "bob's sync");
    const pushed = await eventually(() => alice.rec.updates.find((u) => u.delivered), "delivered push");
    assert.equal(pushed.pts, undefined); // pts 0: not a log entry
    assert.deepEqual({ ...pushed.delivered },
      { conversationId: chat, userId: bob.session.userId, username: bob.name, upToSeq: third.seq });
    const got = await dialogOf(alice, chat);
    assert.equal(got.peerDeliveredSeq, third.seq);
    assert.equal(got.peerReadSeq, undefined);

    // Reading raises both; a stale delivered marker changes nothing and answers without pts.
    await back.markRead(chat, third.seq);
    const read = await dialogOf(alice, chat);
    assert.equal(read.peerReadSeq, third.seq);
    assert.equal(read.peerDeliveredSeq, third.seq);
    const stale = await back.markDelivered(chat, 1);
    assert.equal(stale.pts, undefined);
    assert.equal(alice.rec.updates.filter((u) => u.delivered).length, 1);
  } finally {
    closeAll(alice);
    back?.close();
  }
});

test("deliveryReceipts: false sends none", async () => {
  const alice = await user("dlvoff");
  const carol = await user("dlvoff", { deliveryReceipts: false });
  try {
    const chat = (await alice.client.sendTextTo(carol.name, "quiet")).conversationId;
    await eventually(() => carol.rec.texts(chat).length === 1, "carol's push");
    await new Promise((r) => setTimeout(r, 600)); // past the receipt window
    assert.equal((await dialogOf(alice, chat)).peerDeliveredSeq, undefined);
    assert.equal(alice.rec.updates.filter((u) => u.delivered).length, 0);
    // By hand it works as ever.
    const ok = await carol.client.markDelivered(chat, 1);
    assert.equal(ok.seq, "1");
    await eventually(() => alice.rec.updates.find((u) => u.delivered), "delivered push");
  } finally {
    closeAll(alice, carol);
  }
});
