import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAll, eventually, user } from "./helpers.mjs";

test("two users chat both ways with pushes; edits, reactions and recalls reach the other", async () => {
  const alice = await user("alice");
  const bob = await user("bob");
  const events = [];
  bob.client.addEventListener("update", (e) => events.push(e.detail));
  try {
    const ack = await alice.client.sendTextTo(bob.name, "hello bob");
    assert.match(ack.conversationId, /^\d+$/);
    assert.equal(ack.duplicate, undefined);
    const chat = ack.conversationId;
    await eventually(() => bob.rec.texts(chat).includes("hello bob"), "bob's push");
    const pushed = bob.rec.updates.find((u) => u.message?.text === "hello bob").message;
    assert.equal(pushed.senderName, alice.name);
    assert.equal(pushed.conversationKind, "DIRECT");
    assert.equal(events.find((u) => u.message?.text === "hello bob").message, pushed); // the same as an EventTarget

    await bob.client.sendText(chat, "hi alice");
    await eventually(() => alice.rec.texts(chat).includes("hi alice"), "alice's push");
    // The sender's own messages are not pushed back to it.
    assert.deepEqual(alice.rec.texts(chat), ["hi alice"]);

    await alice.client.editText(chat, ack.seq, "hello, bob");
    await eventually(() => bob.rec.updates.find((u) => u.edited?.text === "hello, bob"), "edit");
    await bob.client.react(chat, ack.seq, "👍");
    await eventually(() => alice.rec.updates.find((u) => u.reacted?.reactions?.[0]?.emoji === "👍"), "reaction");
    const reply = await bob.client.replyText(chat, ack.seq, "a reply");
    await eventually(() => alice.rec.updates.find((u) => u.message?.replyToSeq === ack.seq), "reply");
    await bob.client.recall(chat, reply.seq);
    await eventually(() => alice.rec.updates.find((u) => u.recalled?.seq === reply.seq), "recall");

    const info = await alice.client.conversation(chat);
    assert.equal(info.kind, "DIRECT");
    assert.deepEqual(info.members.map((m) => m.username).sort(), [alice.name, bob.name].sort());
    const found = await alice.client.searchUsers(bob.name.slice(0, 12));
    assert.ok(found.users.some((u) => u.username === bob.name));
  } finally {
    closeAll(alice, bob);
  }
});

test("a group of three: service messages, messages from everyone, membership changes", async () => {
  const [a, b, c] = [await user("ga"), await user("gb"), await user("gc")];
  try {
    const ok = await a.client.createGroup("Climbing", [b.name]);
    const group = ok.conversationId;
    await eventually(() => b.rec.updates.find((u) => u.message?.service?.type === "GROUP_CREATED"), "group created");
    await a.client.addMember(group, c.name);
    await eventually(() => c.rec.updates.find((u) => u.message?.service?.type === "MEMBER_ADDED"), "member added");
    await a.client.sendText(group, "from a");
    await b.client.sendText(group, "from b");
    await c.client.sendText(group, "from c");
    for (const [who, expected] of [[a, ["from b", "from c"]], [b, ["from a", "from c"]], [c, ["from a", "from b"]]]) {
      await eventually(() => who.rec.texts(group).length === 2, `${who.name}'s messages`);
      assert.deepEqual(who.rec.texts(group), expected);
    }
    const info = await c.client.conversation(group);
    assert.equal(info.title, "Climbing");
    assert.equal(info.members.length, 3);
    // A creation retried under its clientId (after a lost answer) gets the first group, not a second.
    const first = await a.client.createGroup("Retry", [], "create-1");
    assert.deepEqual(await a.client.createGroup("Retry", [], "create-1"), first);
    const titles = ((await a.client.dialogs({ limit: 50 })).dialogs ?? []).map((d) => d.title);
    assert.equal(titles.filter((t) => t === "Retry").length, 1);
    await a.client.removeMember(group, b.name);
    await eventually(() => c.rec.updates.find((u) => u.message?.service?.type === "MEMBER_REMOVED"), "removed");
    await assert.rejects(b.client.sendText(group, "still here?"), (e) => e.code === "NOT_MEMBER");
    await c.client.leave(group);
    await assert.rejects(c.client.history(group), (e) => e.code === "NOT_MEMBER");
  } finally {
    closeAll(a, b, c);
  }
});

test("history pages backwards, newest first", async () => {
  const a = await user("hist");
  const b = await user("hist");
  try {
    const chat = (await a.client.sendTextTo(b.name, "m0")).conversationId;
    for (let i = 1; i < 25; i++) {
      a.client.sendText(chat, `m${i}`); // pipelined: the outbox keeps the order
    }
    await eventually(() => b.rec.texts(chat).length === 25, "25 messages");
    const seen = [];
    let before = 0;
    for (;;) {
      const page = await b.client.history(chat, before, 10);
      seen.push(...page.messages.map((m) => m.text));
      if (!page.more) break;
      before = page.messages.at(-1).seq;
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `m${24 - i}`));
  } finally {
    closeAll(a, b);
  }
});

test("receipts, dialogs with unread counts, typing and presence", async () => {
  const a = await user("rcpt");
  const b = await user("rcpt");
  try {
    const chat = (await a.client.sendTextTo(b.name, "one")).conversationId;
    await a.client.sendText(chat, "two");
    const last = await a.client.sendText(chat, "three");
    await eventually(() => b.rec.texts(chat).length === 3, "three messages");

    const before = (await b.client.dialogs()).dialogs.find((d) => d.conversationId === chat);
    assert.equal(before.unreadCount, 3);
    assert.equal(before.title, a.name);
    assert.equal(before.topMessage.text, "three");

    await b.client.markRead(chat, last.seq);
    const read = await eventually(() => a.rec.updates.find((u) => u.read), "read receipt");
    assert.deepEqual({ ...read.read }, { conversationId: chat, userId: b.session.userId, username: b.name, upToSeq: last.seq });
    const after = (await b.client.dialogs({ limit: 10 })).dialogs.find((d) => d.conversationId === chat);
    assert.equal(after.unreadCount, undefined); // 0 is omitted
    assert.equal(after.readUpToSeq, last.seq);

    await b.client.updateDialog({ conversationId: chat, pinned: true, draft: "later" });
    const pinned = (await b.client.dialogs()).dialogs[0];
    assert.equal(pinned.conversationId, chat);
    assert.equal(pinned.draft, "later");

    await a.client.typing(chat);
    const t = await eventually(() => b.rec.typing.find((x) => x.conversationId === chat), "typing");
    assert.equal(t.username, a.name);
    assert.equal(t.stopped, undefined);

    const p = await a.client.presence([b.name], true);
    assert.equal(p.presences[0].username, b.name);
    assert.equal(p.presences[0].online, true);
    b.client.close();
    const offline = await eventually(() => a.rec.presence.find((x) => x.username === b.name && !x.online), "offline push");
    assert.ok(Number(offline.lastSeenMs) > 0);
  } finally {
    closeAll(a, b);
  }
});
