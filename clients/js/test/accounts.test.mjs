import assert from "node:assert/strict";
import { test } from "node:test";
import { TernError } from "../dist/index.js";
import { connect, eventually, PASSWORD, Recorder, uniqueName, user } from "./helpers.mjs";

test("register, login keeps the ticket, resume on a new connection is the same device", async () => {
  const name = uniqueName("acct");
  const rec = new Recorder();
  const c = await connect({}, rec.listener);
  try {
    assert.equal(c.welcome.protocolVersion, 1);
    const reg = await c.register(name, PASSWORD);
    assert.equal(reg.username, name);
    assert.match(reg.userId, /^\d+$/);
    const s = await c.login(name, PASSWORD, "laptop");
    assert.equal(typeof s.ticket, "string");
    assert.equal(c.ticket, s.ticket);
    assert.equal(c.cursor, s.pts ?? "0");
    assert.deepEqual(rec.connections, [true]);

    const d = await connect();
    try {
      const r = await d.resume(c.ticket);
      assert.equal(r.deviceId, s.deviceId);
      assert.equal(r.userId, reg.userId);
      assert.equal(r.ticket, undefined);
      assert.equal(d.ticket, c.ticket);
    } finally {
      d.close();
    }
  } finally {
    c.close();
  }
});

test("errors become TernError with the server's code", async () => {
  const a = await user("err");
  const anon = await connect();
  try {
    await assert.rejects(anon.register(a.name, PASSWORD), (e) => e instanceof TernError && e.code === "USERNAME_TAKEN");
    await assert.rejects(anon.login(a.name, "wrong password!"), (e) => e.code === "BAD_CREDENTIALS" && !e.retryable);
    await assert.rejects(anon.resume("x".repeat(43)), (e) => e.code === "TICKET_INVALID");
    await assert.rejects(anon.history(1), (e) => e.code === "NOT_AUTHENTICATED");
    await assert.rejects(a.client.history("999999999"), (e) => e.code === "NOT_MEMBER");
    await assert.rejects(a.client.sendTextTo(uniqueName("nobody"), "hi"), (e) => e.code === "USER_NOT_FOUND");
    await assert.rejects(a.client.joinChannel("no_such_channel_x"), (e) => e.code === "CHANNEL_NOT_FOUND");
    const err = await a.client.register("ab", "short").catch((e) => e);
    assert.ok(err instanceof TernError && err instanceof Error);
    assert.equal(typeof err.retryAfterMs, "number");
  } finally {
    anon.close();
    a.client.close();
  }
});

test("logout revokes the ticket; the device's other connection gets goodbye SESSION_REVOKED", async () => {
  const a = await user("out");
  const rec = new Recorder();
  const other = await connect({ reconnect: false }, rec.listener);
  try {
    await other.resume(a.client.ticket);
    await a.client.logout();
    assert.equal(a.client.ticket, undefined);
    await eventually(() => rec.goodbyes.find((g) => g.reason === "SESSION_REVOKED"), "goodbye");
    assert.equal(other.ticket, undefined);
    const again = await connect();
    await assert.rejects(again.resume(a.session.ticket), (e) => e.code === "TICKET_INVALID");
    again.close();
  } finally {
    other.close();
    a.client.close();
  }
});
