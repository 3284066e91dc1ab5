import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAll, connect, eventually, PASSWORD, Recorder, uniqueName, user } from "./helpers.mjs";

test("a channel: create, find and join by name, posts arrive as pts-0 pushes, news after a sync", async () => {
  const owner = await user("chown");
  const reader = await user("chrd");
  const name = uniqueName("news").replace(/\./g, "_").slice(0, 30);
  try {
    const ok = await owner.client.createChannel("Tern News", "Releases", name);
    const channel = ok.conversationId;
    const found = await reader.client.searchChannels(name.slice(0, 10));
    assert.ok(found.channels.some((c) => c.publicName === name && c.title === "Tern News"));
    const joined = await reader.client.joinChannel(name.toUpperCase());
    assert.equal(joined.conversationId, channel);

    const cursorBefore = reader.client.cursor;
    await owner.client.sendText(channel, "v0.2 is out");
    const push = await eventually(() => reader.rec.updates.find((u) => u.message?.text === "v0.2 is out"), "post");
    assert.equal(push.pts, undefined); // outside the log
    assert.equal(push.message.conversationKind, "CHANNEL");
    assert.equal(reader.client.cursor, cursorBefore);
    await assert.rejects(reader.client.sendText(channel, "me too"), (e) => e.code === "FORBIDDEN");

    const info = await reader.client.conversation(channel);
    assert.equal(info.broadcast, true);
    assert.equal(info.publicName, name);

    // Offline meanwhile: the next session's sync names the channel in its news.
    const ticket = reader.client.ticket;
    const cursor = reader.client.cursor;
    reader.client.close();
    await owner.client.sendText(channel, "v0.3 is out");
    const rec = new Recorder();
    const again = await connect({}, rec.listener);
    try {
      await again.resume(ticket, cursor);
      const news = await eventually(() => rec.news.find((n) => n.conversationId === channel), "news");
      assert.equal(news.unreadCount, 2);
      const page = await again.history(channel, 0, 1);
      assert.equal(page.messages[0].text, "v0.3 is out");
      const d = (await again.dialogs()).dialogs.find((x) => x.conversationId === channel);
      assert.equal(d.broadcast, true);
      assert.equal(d.unreadCount, 2);
    } finally {
      again.close();
    }
  } finally {
    closeAll(owner, reader);
  }
});
