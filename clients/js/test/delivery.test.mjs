import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAll, connect, eventually, Recorder, spying, user } from "./helpers.mjs";

/** Every update's pts rises strictly: nothing applied twice or out of order. */
function assertStrictPts(rec) {
  const pts = rec.updates.filter((u) => u.pts).map((u) => BigInt(u.pts));
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i] > pts[i - 1], `pts ${pts[i]} after ${pts[i - 1]}`);
}

test("exactly once and in order across dropped connections, with messages sent meanwhile", async () => {
  const alice = await user("dra");
  const bob = await user("drb");
  try {
    const chat = (await alice.client.sendTextTo(bob.name, "m0")).conversationId;
    const expected = ["m0"];
    const sends = [];
    for (let i = 1; i <= 60; i++) {
      expected.push(`m${i}`);
      sends.push(alice.client.sendText(chat, `m${i}`));
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 10));
      if (i === 15) bob.client.dropConnection(); // the receiver loses its connection
      if (i === 30) alice.client.dropConnection(); // the sender too, with sends in flight
      if (i === 45) {
        await eventually(() => bob.client.connected, "bob back");
        bob.client.dropConnection(); // and the receiver once more
      }
    }
    const acks = await Promise.all(sends);
    const seqs = acks.map((a) => BigInt(a.seq));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], "the server kept the order of the sends");
    await eventually(() => bob.rec.texts(chat).length >= expected.length, "all messages at bob", 20_000);
    await new Promise((r) => setTimeout(r, 200)); // nothing more may come
    assert.deepEqual(bob.rec.texts(chat), expected);
    assertStrictPts(bob.rec);
    assert.ok(bob.rec.connections.filter((up) => up).length >= 3, "bob reconnected twice");
    assert.equal(bob.rec.connections.at(-1), true);
    const history = await bob.client.history(chat, 0, 100);
    assert.equal(history.messages.length, expected.length, "no message stored twice");
  } finally {
    closeAll(alice, bob);
  }
});

test("a send retried under the same client id stores one message", async () => {
  const sent = [];
  const alice = await user("rta", { WebSocket: spying(sent) });
  const bob = await user("rtb");
  try {
    const chat = (await alice.client.sendTextTo(bob.name, "start")).conversationId;
    // The same id twice while pending: one send.
    const p1 = alice.client.send({ conversationId: chat, clientMsgId: "fixed-1", contentType: "text/plain", text: "once" });
    const p2 = alice.client.send({ conversationId: chat, clientMsgId: "fixed-1", contentType: "text/plain", text: "once" });
    assert.equal(p1, p2);
    const first = await p1;
    // Sent again later (as after a lost ack): the server answers with the first ack.
    const again = await alice.client.send({ conversationId: chat, clientMsgId: "fixed-1", contentType: "text/plain", text: "once" });
    assert.equal(again.duplicate, true);
    assert.equal(again.seq, first.seq);
    // Dropped right after transmission: retried with retry:true after the resume, still one message.
    const pending = alice.client.sendText(chat, "survives");
    alice.client.dropConnection();
    assert.equal(alice.client.unacknowledged, 1);
    const ack = await pending;
    assert.equal(alice.client.unacknowledged, 0);
    const transmissions = sent.filter((f) => f.send?.text === "survives");
    assert.equal(transmissions.length, 2);
    assert.equal(transmissions[0].send.retry, undefined);
    assert.equal(transmissions[1].send.retry, true);
    assert.equal(transmissions[1].send.clientMsgId, transmissions[0].send.clientMsgId);
    await eventually(() => bob.rec.texts(chat).includes("survives"), "the retried message");
    const texts = (await bob.client.history(chat, 0, 50)).messages.map((m) => m.text);
    assert.deepEqual(texts, ["survives", "once", "start"]);
    assert.ok(BigInt(ack.seq) > BigInt(first.seq));
  } finally {
    closeAll(alice, bob);
  }
});

test("resume with a saved cursor on a new client syncs exactly what was missed", async () => {
  const alice = await user("rsa");
  const bob = await user("rsb");
  try {
    const chat = (await alice.client.sendTextTo(bob.name, "before")).conversationId;
    await eventually(() => bob.rec.texts(chat).length === 1, "first message");
    const ticket = bob.client.ticket;
    const cursor = bob.client.cursor;
    bob.client.close();
    for (let i = 0; i < 5; i++) await alice.client.sendText(chat, `missed ${i}`);
    const rec = new Recorder();
    const bob2 = await connect({}, rec.listener);
    try {
      await bob2.resume(ticket, cursor);
      await eventually(() => rec.texts(chat).length === 5, "the missed messages");
      assert.deepEqual(rec.texts(chat), [0, 1, 2, 3, 4].map((i) => `missed ${i}`));
      await alice.client.sendText(chat, "live");
      await eventually(() => rec.texts(chat).includes("live"), "live push");
      assert.equal(rec.texts(chat).length, 6);
      assert.equal(bob2.cursor, rec.updates.at(-1).pts);
    } finally {
      bob2.close();
    }
  } finally {
    closeAll(alice, bob);
  }
});
