// The outbox on its own: a fake server that answers when the test says, and a fake clock, so that
// the pacing of docs/protocol.md ("Pace, do not resend the backlog") is checked to the millisecond.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TernError } from "../dist/errors.js";
import { Outbox, WINDOW } from "../dist/outbox.js";

/** Time stands still until advance(); its timers fire in time order. `rnd` is what random() returns. */
class FakeClock {
  t = 1_000;
  rnd = 0;
  timers = new Set();
  now() { return this.t; }
  setTimeout(fn, ms) { const h = { at: this.t + ms, fn }; this.timers.add(h); return h; }
  clearTimeout(h) { this.timers.delete(h); }
  random() { return this.rnd; }

  /** Moves time on by `ms`, firing each due timer at its own time and letting the promises settle. */
  async advance(ms) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter((h) => h.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due);
      this.t = due.at;
      due.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = () => new Promise((r) => setImmediate(r));

/** Records every transmission; the test answers each with ack() or refuse(). */
class FakeServer {
  transmissions = [];
  up = true;
  mostInFlight = 0;
  constructor(clock) { this.clock = clock; }

  ready() { return this.up; }
  transmit(send) {
    return new Promise((resolve, reject) => {
      this.transmissions.push({ send, at: this.clock.now(), resolve, reject, answered: false });
      this.mostInFlight = Math.max(this.mostInFlight, this.open().length);
    });
  }
  /** Transmissions not answered yet, oldest first. */
  open() { return this.transmissions.filter((t) => !t.answered); }
  /** The open transmission of a client message id. */
  find(id) {
    const t = this.open().find((x) => x.send.clientMsgId === id);
    assert.ok(t, `${id} is in flight`);
    return t;
  }
  async ack(id) {
    const t = this.find(id);
    t.answered = true;
    t.resolve({ clientMsgId: id, seq: id.slice(1) });
    await settle();
  }
  async refuse(id, code, retryAfterMs = 0, retryable = true) {
    const t = this.find(id);
    t.answered = true;
    t.reject(new TernError(code, "refused", retryable, retryAfterMs));
    await settle();
  }
  /** The connection drops: every open transmission fails as the wire fails it. */
  async drop() {
    this.up = false;
    for (const t of this.open()) {
      t.answered = true;
      t.reject(new TernError("CONNECTION_CLOSED", "connection closed", true));
    }
    await settle();
  }
  ids(from = 0) { return this.transmissions.slice(from).map((t) => t.send.clientMsgId); }
}

function setup() {
  const clock = new FakeClock();
  const server = new FakeServer(clock);
  const outbox = new Outbox(server, clock);
  const results = new Map();
  const add = (...ids) => ids.forEach((id) => {
    results.set(id, outbox.add({ clientMsgId: id, conversationId: "1", contentType: "text/plain", text: id })
      .then((ack) => ({ ack }), (error) => ({ error })));
  });
  return { clock, server, outbox, add, results };
}

const names = (n, prefix = "s") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

test("outbox: while nothing is refused, up to 8 sends are in flight, in order, each answer frees a place", async () => {
  const { server, outbox, add, results } = setup();
  add(...names(20));
  await settle();
  assert.equal(WINDOW, 8);
  assert.deepEqual(server.ids(), names(8));
  assert.ok(server.transmissions.every((t) => t.send.retry === undefined), "first transmissions carry no retry");
  await server.ack("s1");
  assert.deepEqual(server.ids(8), ["s9"]);
  await server.ack("s3"); // answers out of order free places too
  await server.ack("s2");
  assert.deepEqual(server.ids(8), ["s9", "s10", "s11"]);
  assert.equal(server.open().length, 8);
  for (const id of names(20)) if (server.open().some((t) => t.send.clientMsgId === id)) await server.ack(id);
  assert.equal(outbox.size, 0);
  assert.equal(server.transmissions.length, 20, "one transmission per send");
  assert.equal(server.mostInFlight, 8);
  assert.equal((await results.get("s20")).ack.seq, "20");
});

test("outbox: a rate refusal sets the gap to its hint; paced sends go one at a time, gap after the previous one", async () => {
  const { clock, server, add } = setup();
  add(...names(12));
  await settle();
  await server.ack("s1");
  assert.equal(server.open().length, 8); // s2..s9
  await server.refuse("s2", "SEND_RATE_DEVICE", 50);
  for (const id of names(9).slice(2)) await server.refuse(id, "SEND_RATE_DEVICE", 50); // the barrier
  const before = server.transmissions.length;
  await clock.advance(49);
  assert.equal(server.transmissions.length, before, "nothing before the hint");
  await clock.advance(1);
  assert.deepEqual(server.ids(before), ["s2"], "then the refused send alone");
  assert.equal(server.transmissions.at(-1).send.retry, true);
  await clock.advance(10);
  await server.ack("s2"); // at +60: the next is due 50 ms after s2 went out
  assert.equal(server.open().length, 0);
  await clock.advance(39);
  assert.deepEqual(server.ids(before), ["s2"]);
  await clock.advance(1);
  assert.deepEqual(server.ids(before), ["s2", "s3"]);
  add("s13"); // a new send while pacing waits its turn too
  await clock.advance(500);
  assert.deepEqual(server.ids(before), ["s2", "s3"], "one at a time while pacing");
  clock.t -= 500; // (back to when s3 went out, to keep the numbers below simple)

  // A paced send refused anyway went out too early by the hint: the gap learns, 50 + 30 = 80.
  const at = clock.now();
  await server.refuse("s3", "SEND_RATE_DEVICE", 30);
  await clock.advance(29);
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s3").at, at + 30);
  await server.ack("s3");
  await clock.advance(79);
  assert.equal(server.open().length, 0, "the learned gap is 80 ms");
  await clock.advance(1);
  assert.equal(server.find("s4").at, at + 30 + 80);
  assert.equal(server.find("s4").send.retry, true, "s4 was transmitted before, in the window");
  await server.ack("s4");
  // s10..s12 were never transmitted: paced too, and without retry.
  for (const id of names(9).slice(4)) {
    await clock.advance(80);
    await server.ack(id);
  }
  await clock.advance(80);
  assert.equal(server.find("s10").send.retry, undefined);
  assert.equal(server.mostInFlight, 8);
  assert.equal(server.open().length, 1);
});

test("outbox: the gap goes back to 0 once the outbox is empty, so the next burst uses the window again", async () => {
  const { clock, server, outbox, add } = setup();
  add(...names(3));
  await settle();
  await server.refuse("s1", "OVERLOADED", 100);
  await server.refuse("s2", "OVERLOADED", 100);
  await server.refuse("s3", "OVERLOADED", 100);
  for (const id of names(3)) {
    await clock.advance(100);
    assert.equal(server.open().length, 1, "paced");
    await server.ack(id);
  }
  assert.equal(outbox.size, 0);
  const before = server.transmissions.length;
  add(...names(10, "t"));
  await settle();
  assert.deepEqual(server.ids(before), names(8, "t"), "a full window at once, no wait");
  assert.ok(server.transmissions.slice(before).every((t) => t.at === clock.now()));
});

test("outbox: the rate hint is jittered by up to a quarter, and the gap never shrinks while pacing", async () => {
  const { clock, server, add } = setup();
  clock.rnd = 0.999;
  add("s1", "s2");
  await settle();
  const at = clock.now();
  await server.refuse("s1", "SEND_RATE_USER", 40);
  clock.rnd = 0;
  await server.refuse("s2", "SEND_RATE_USER", 20); // not paced: gap = max(40, 20)
  await clock.advance(49);
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s1").at, at + 40 + 10);
  await server.ack("s1");
  await clock.advance(39);
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s2").at, at + 50 + 40);
});

test("outbox: STORAGE_UNAVAILABLE is retried after a growing, jittered backoff, holding back the sends not yet out", async () => {
  const { clock, server, add, results } = setup();
  add(...names(10));
  await settle();
  await server.refuse("s1", "STORAGE_UNAVAILABLE");
  for (const id of names(8).slice(1)) await server.ack(id); // already out: they may overtake it
  assert.deepEqual(server.ids(8), [], "s9 and s10 wait behind s1");
  await clock.advance(49);
  assert.deepEqual(server.ids(8), []);
  await clock.advance(1); // 100 ms base, jitter 0: 50 ms
  assert.deepEqual(server.ids(8), ["s1", "s9", "s10"], "then s1 again, and the window goes on");
  assert.equal(server.find("s1").send.retry, true);
  assert.equal(server.find("s9").send.retry, undefined);
  await server.ack("s9");
  await server.ack("s10");

  const at = clock.now();
  await server.refuse("s1", "STORAGE_UNAVAILABLE");
  await clock.advance(99); // the second time: 200 ms base, jitter 0: 100 ms
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s1").at, at + 100);
  await server.refuse("s1", "INTERNAL", 1_000); // a longer hint wins over the backoff (400 ms here)
  await clock.advance(999);
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s1").at, at + 100 + 1_000);
  await server.ack("s1");
  assert.equal((await results.get("s1")).ack.seq, "1");
  assert.equal(server.ids().filter((id) => id === "s1").length, 4, "same client id every time");
  for (let i = 1; i <= 30; i++) { // the backoff stops growing at 10 s
    add(`b${i}`);
  }
  await settle();
  clock.rnd = 0.999999; // the top of the jitter: the whole base
  for (let n = 1; n <= 12; n++) {
    await server.refuse("b1", "STORAGE_UNAVAILABLE");
    const refusedAt = clock.now();
    await clock.advance(10_000);
    assert.equal(server.find("b1").at - refusedAt, Math.min(10_000, 50 * 2 ** n));
  }
});

test("outbox: SLOW_MODE and final refusals reject the send at once; the sends behind it go on", async () => {
  const { server, outbox, add, results } = setup();
  add("s1", "s2", "s3");
  await settle();
  await server.refuse("s1", "SLOW_MODE", 60_000);
  await server.refuse("s2", "NOT_MEMBER", 0, false);
  await server.ack("s3");
  const slow = await results.get("s1");
  assert.equal(slow.error.code, "SLOW_MODE");
  assert.equal(slow.error.retryAfterMs, 60_000);
  assert.equal((await results.get("s2")).error.code, "NOT_MEMBER");
  assert.equal((await results.get("s3")).ack.seq, "3");
  assert.equal(outbox.size, 0);
  assert.equal(server.transmissions.length, 3, "neither is transmitted again");
  add("s4");
  await settle();
  assert.deepEqual(server.ids(3), ["s4"], "no pace after SLOW_MODE");
  // The same id while pending is the same send.
  assert.equal(outbox.add({ clientMsgId: "s4" }), outbox.add({ clientMsgId: "s4" }));
});

test("outbox: after a reconnect the sends that were in flight go out again, in order, with retry:true; the gap stays", async () => {
  const { clock, server, outbox, add } = setup();
  add(...names(10));
  await settle();
  await server.ack("s1");
  await server.drop();
  assert.equal(outbox.size, 9);
  add("s11");
  await clock.advance(1_000);
  assert.equal(server.transmissions.length, 9, "nothing while disconnected");
  server.up = true;
  outbox.flush();
  await settle();
  assert.deepEqual(server.ids(9), names(9).slice(1), "s2..s9 again, a window's worth");
  assert.ok(server.transmissions.slice(9).every((t) => t.send.retry === true));
  await server.ack("s2");
  assert.deepEqual(server.ids(17), ["s10"]);
  assert.equal(server.find("s10").send.retry, undefined, "s10 never went out before");

  // Pacing when the connection drops: after the resume, still one at a time, gap apart.
  for (const id of ["s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10"]) {
    await server.refuse(id, "SEND_RATE_DEVICE", 50);
  }
  await clock.advance(50);
  assert.deepEqual(server.open().map((t) => t.send.clientMsgId), ["s3"]);
  await server.drop();
  await clock.advance(100); // reconnecting
  server.up = true;
  outbox.flush();
  await settle();
  assert.deepEqual(server.open().map((t) => t.send.clientMsgId), ["s3"], "the gap stays: one at a time");
  assert.equal(server.find("s3").send.retry, true);

  // A late refusal from before a reconnect changes nothing.
  const stale = server.find("s3");
  server.up = false;
  outbox.flush(); // (as if resumed while that answer was still on its way)
  server.up = true;
  outbox.flush();
  await settle();
  stale.answered = true;
  stale.reject(new TernError("SEND_RATE_DEVICE", "stale", true, 5_000));
  await settle();
  const fresh = server.find("s3");
  assert.notEqual(fresh, stale);
  assert.equal(server.open().length, 1);
  await server.ack("s3");
  assert.equal(outbox.size, 8);
  await clock.advance(49);
  assert.equal(server.open().length, 0);
  await clock.advance(1);
  assert.equal(server.find("s4").at, fresh.at + 50, "paced by the gap of 50, not by the stale hint");
});

test("outbox: a late refusal from before a reconnect is ignored; a late ack still counts", async () => {
  const { clock, server, outbox, add, results } = setup();
  add("s1", "s2", "s3", "s4");
  await settle();
  await server.refuse("s1", "STORAGE_UNAVAILABLE"); // held for 50 ms, and s2..s4 stay in flight
  const [s2, s3] = [server.find("s2"), server.find("s3")];
  server.up = false;
  outbox.flush(); // (as if the answers of the old connection were still on their way)
  server.up = true;
  outbox.flush();
  await settle();
  assert.equal(server.transmissions.length, 4, "nothing is due before s1");
  s2.answered = true;
  s2.reject(new TernError("SEND_RATE_DEVICE", "stale", true, 5_000));
  s3.answered = true;
  s3.resolve({ clientMsgId: "s3", seq: "3" });
  await settle();
  assert.equal((await results.get("s3")).ack.seq, "3");
  assert.equal(outbox.size, 3);
  await clock.advance(50);
  assert.deepEqual(server.ids(4), ["s1", "s2", "s4"], "the window, not a pace from the stale hint");
  assert.ok(server.transmissions.slice(4).every((t) => t.send.retry === true));
});

test("outbox: logout or close rejects everything pending and stops the timers", async () => {
  const { clock, server, outbox, add, results } = setup();
  add("s1", "s2");
  await settle();
  await server.refuse("s1", "STORAGE_UNAVAILABLE");
  outbox.failAll(new TernError("NOT_AUTHENTICATED", "logged out"));
  assert.equal((await results.get("s1")).error.code, "NOT_AUTHENTICATED");
  assert.equal((await results.get("s2")).error.code, "NOT_AUTHENTICATED");
  assert.equal(clock.timers.size, 0);
  await server.ack("s2"); // a late ack changes nothing
  assert.equal(outbox.size, 0);
});
