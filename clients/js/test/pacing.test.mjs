// The outbox's pace against a server of its own with the default send limits (the shared test
// server has none): a burst far above the limit arrives whole, in order, in about the time the
// limit allows and with about one transmission per message (docs/protocol.md, "Pace, do not
// resend the backlog").
import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAll, spying, user } from "./helpers.mjs";
import { removeData, startServer } from "./server.mjs";

const SENDS = 200;

test("200 sends at once under the default limit of 20/s are all stored, in order, in fewer than 260 transmissions", async () => {
  const server = await startServer(["--set", "limits.send-rate-device=20/1s", "--set", "limits.send-rate-user=50/1s"]);
  let alice;
  let bob;
  try {
    const sent = [];
    alice = await user("pca", { url: server.url, WebSocket: spying(sent) });
    bob = await user("pcb", { url: server.url, deliveryReceipts: false });
    assert.equal(sent.find((f) => f.hello)?.hello.orderedSends, true, "hello asks for ordered sends");
    const chat = (await alice.client.sendTextTo(bob.name, "m0")).conversationId;
    await new Promise((r) => setTimeout(r, 1_100)); // the device's allowance refills: a burst of 20

    const started = Date.now();
    const texts = Array.from({ length: SENDS }, (_, i) => `m${i + 1}`);
    const acks = await Promise.all(texts.map((text) => alice.client.sendText(chat, text)));
    const tookMs = Date.now() - started;

    const seqs = acks.map((a) => BigInt(a.seq));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `ack ${i + 1} after ack ${i}`);
    const stored = [];
    let before = 0;
    for (;;) {
      const page = await bob.client.history(chat, before, 200);
      stored.unshift(...page.messages.map((m) => m.text).reverse());
      if (!page.more) break;
      before = page.messages.at(-1).seq;
    }
    assert.deepEqual(stored, ["m0", ...texts], "every message stored once, in the order it was made");
    const frames = sent.filter((f) => f.send && f.send.text !== "m0");
    const refusedFirst = new Set(frames.filter((f) => f.send.retry).map((f) => f.send.clientMsgId));
    console.log(`paced outbox: ${SENDS} sends in ${tookMs} ms with ${frames.length} transmissions `
      + `(${refusedFirst.size} sends transmitted more than once)`);
    assert.ok(frames.length < 260, `${frames.length} transmissions`);
    // 20 at once, then 180 at 20/s: 9 s at best; resending the backlog took about a minute.
    assert.ok(tookMs >= 8_500 && tookMs < 20_000, `took ${tookMs} ms`);
  } finally {
    closeAll(alice, bob);
    const { data } = await server.stop();
    removeData(data);
  }
});
