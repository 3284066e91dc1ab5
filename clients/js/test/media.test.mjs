import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { test } from "node:test";
import { TernError } from "../dist/index.js";
import { closeAll, eventually, user } from "./helpers.mjs";

const sha = (b) => createHash("sha256").update(b).digest("hex");

test("media: a resumable upload survives a broken chunk; download, signed link and a message carry it", async () => {
  const calls = [];
  let broken = false;
  // A fetch whose first PATCH dies after part of its body, as a pulled cable would.
  const flaky = async (input, init = {}) => {
    calls.push(init.method ?? "GET");
    if (init.method === "PATCH" && !broken) {
      broken = true;
      const bytes = init.body;
      const body = new ReadableStream({
        start(c) {
          c.enqueue(bytes.subarray(0, 300_000));
          setTimeout(() => c.error(new Error("cable pulled")), 100);
        },
      });
      return fetch(input, { ...init, body, duplex: "half" });
    }
    return fetch(input, init);
  };
  const alice = await user("media", { fetch: flaky });
  const bob = await user("media");
  try {
    const file = randomBytes(3 * 1024 * 1024 + 12345);
    const progress = [];
    const id = await alice.client.media.upload(file, "application/octet-stream", {
      fileName: "blob.bin",
      chunkSize: 1 << 20,
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.ok(broken, "a chunk was broken off");
    // POST, HEAD, the broken PATCH, then HEAD again: the upload goes on from what the server has.
    assert.deepEqual(calls.slice(0, 4), ["POST", "HEAD", "PATCH", "HEAD"]);
    assert.ok(progress.some(([sent]) => sent > 0 && sent < file.length), "it went on from the middle");
    assert.deepEqual(progress.at(-1), [file.length, file.length]);

    const back = await alice.client.media.downloadBytes(id);
    assert.equal(back.length, file.length);
    assert.equal(sha(back), sha(file));

    // A signed link needs no ticket (for <img src>).
    const link = await alice.client.media.link(id);
    assert.ok(link.startsWith("http://"));
    const viaLink = Buffer.from(await (await fetch(link)).arrayBuffer());
    assert.equal(sha(viaLink), sha(file));
    // The plain URL does.
    assert.equal((await fetch(alice.client.media.url(id))).status, 401);

    // Sent in a message, the peer can read it too.
    await assert.rejects(bob.client.media.download(id), (e) => e instanceof TernError && e.code === "MEDIA_NOT_FOUND");
    const ack = await alice.client.sendTextTo(bob.name, "first");
    await alice.client.sendMedia(ack.conversationId, id, "the file");
    const u = await eventually(() => bob.rec.updates.find((x) => x.message?.media), "the media message");
    assert.equal(u.message.media.mediaId, id);
    assert.equal(u.message.media.size, String(file.length));
    assert.equal(u.message.media.sha256, sha(file));
    assert.equal(u.message.media.fileName, "blob.bin");
    const blob = await bob.client.media.download(id);
    assert.equal(blob.size, file.length);
    assert.equal(sha(Buffer.from(await blob.arrayBuffer())), sha(file));
  } finally {
    closeAll(alice, bob);
  }
});

test("media: a small Blob goes up in one chunk; refusals carry the server's code", async () => {
  const a = await user("media");
  try {
    const id = await a.client.media.upload(new Blob(["hello, file"]), "text/plain");
    assert.equal(await (await a.client.media.download(id)).text(), "hello, file");
    await assert.rejects(a.client.media.upload(new Uint8Array(10), "application/x-nope"),
      (e) => e.code === "MEDIA_TYPE_REFUSED" && !e.retryable);
    a.client.close();
    const anon = (await user("media")).client;
    await anon.logout();
    await assert.rejects(anon.media.upload(new Uint8Array(1), "text/plain"), (e) => e.code === "NOT_AUTHENTICATED");
    anon.close();
  } finally {
    a.client.close();
  }
});
