// Browser tests of the web client: two users in two Chromium contexts against a real server
// (test/run.mjs of the JavaScript SDK starts it and passes its address in TERNJS_URL).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, browserUser as user, launch, screenshots as shots } from "./browser.mjs";

const suffix = Date.now().toString(36).slice(-6);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const texts = (page) => page.locator("#messages .msg .body").allTextContents();
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });

test("the server serves the web client, its SDK and still the JSON description", async () => {
  const html = await fetch(base, { headers: { accept: "text/html" } });
  assert.equal(html.status, 200);
  assert.match(html.headers.get("content-type"), /^text\/html/);
  assert.equal(html.headers.get("cache-control"), "no-cache");
  const sdk = await fetch(base + "sdk/index.js");
  assert.equal(sdk.status, 200);
  assert.match(sdk.headers.get("content-type"), /^text\/javascript/);
  const json = await fetch(base, { headers: { accept: "application/json" } });
  assert.match(await json.text(), /"websocket":"\/ws"/);
  assert.equal((await fetch(base + "nope.js")).status, 404);
});

test("two users chat: receipts, typing, presence, offline catch-up, reload", async () => {
  const alice = await user(browser, `alice_${suffix}`);
  const bob = await user(browser, `bob_${suffix}`);

  // Alice finds Bob by name and writes first.
  await alice.page.getByLabel("Chat with username", { exact: true }).fill(bob.name);
  await alice.page.getByRole("button", { name: "Start chat" }).click();
  await alice.page.getByLabel("Message", { exact: true }).fill("hi bob");
  await alice.page.getByLabel("Message", { exact: true }).press("Enter");
  await alice.page.locator(".msg.mine .receipt", { hasText: /^(sent|delivered)$/ }).waitFor();

  // Bob sees the dialog with one unread message, opens it: Alice's message shows "read".
  const dialog = bob.page.locator("#dialogs li", { hasText: alice.name });
  await dialog.locator(".unread", { hasText: "1" }).waitFor();
  assert.equal(await bob.page.title(), "(1) Tern");
  await shot(bob.page, "bob-dialogs");
  await dialog.click();
  await bob.page.locator("#messages .msg", { hasText: "hi bob" }).waitFor();
  await alice.page.locator(".msg.mine .receipt", { hasText: "read" }).waitFor();
  await bob.page.locator("#presence", { hasText: "online" }).waitFor();
  await alice.page.locator("#presence", { hasText: "online" }).waitFor();

  // Bob types: Alice sees the indicator; Bob's message arrives live.
  await bob.page.getByLabel("Message", { exact: true }).pressSequentially("hello al", { delay: 20 });
  await alice.page.locator("#typing", { hasText: `${bob.name} is typing` }).waitFor();
  await shot(alice.page, "alice-typing");
  await bob.page.getByLabel("Message", { exact: true }).pressSequentially("ice");
  await bob.page.getByRole("button", { name: "Send" }).click();
  await alice.page.locator("#messages .msg", { hasText: "hello alice" }).waitFor();
  await bob.page.locator(".msg.mine .receipt", { hasText: "read" }).waitFor();
  await bob.page.locator("#dialogs li .preview", { hasText: "You: hello alice" }).waitFor();
  await alice.page.locator("#dialogs li .preview", { hasText: "hello alice" }).waitFor();
  await shot(alice.page, "alice-chat");

  // Bob's network drops while Alice writes; back online, he has everything in order.
  await bob.context.setOffline(true);
  await bob.page.locator("#banner", { hasText: "Reconnecting" }).waitFor({ timeout: 45_000 });
  const missed = ["one", "two", "three"];
  for (const t of missed) {
    await alice.page.getByLabel("Message", { exact: true }).fill(t);
    await alice.page.getByLabel("Message", { exact: true }).press("Enter");
  }
  await alice.page.locator(".msg.mine .receipt").nth(3).waitFor();
  await shot(bob.page, "bob-offline");
  await bob.context.setOffline(false);
  await bob.page.locator("#messages .msg", { hasText: "three" }).waitFor({ timeout: 45_000 });
  await bob.page.locator("#banner").waitFor({ state: "hidden" });
  const expected = ["hi bob", "hello alice", ...missed];
  assert.deepEqual(await texts(bob.page), expected);
  await alice.page.locator(".msg.mine .receipt", { hasText: "read" }).nth(3).waitFor();

  // A reload resumes the session (ticket in localStorage) and shows the same history.
  await bob.page.reload();
  await bob.page.locator("#messages .msg", { hasText: "three" }).waitFor();
  assert.deepEqual(await texts(bob.page), expected);
  await shot(bob.page, "bob-after-reload");
  await shot(alice.page, "alice-final");

  await alice.context.close();
  await bob.context.close();
});

test("message status: sent while the peer is offline, delivered when it is back, read when opened, kept after a reload", async () => {
  const alice = await user(browser, `dal_${suffix}`);
  const bob = await user(browser, `dbo_${suffix}`);
  const status = (text) => alice.page.locator(".msg.mine", { hasText: text }).locator(".receipt");
  await alice.page.getByLabel("Chat with username", { exact: true }).fill(bob.name);
  await alice.page.getByRole("button", { name: "Start chat" }).click();
  await bob.context.setOffline(true);
  await bob.page.locator("#banner", { hasText: "Reconnecting" }).waitFor({ timeout: 45_000 });
  await alice.page.getByLabel("Message", { exact: true }).fill("are you there?");
  await alice.page.getByLabel("Message", { exact: true }).press("Enter");
  await status("are you there?").filter({ hasText: "sent" }).waitFor();
  await alice.page.waitForTimeout(1000);
  assert.equal(await status("are you there?").textContent(), "sent");

  // Back online, Bob's client receives it (without opening the chat): delivered.
  await bob.context.setOffline(false);
  await bob.page.locator("#dialogs li", { hasText: alice.name }).locator(".unread", { hasText: "1" }).waitFor({ timeout: 45_000 });
  await status("are you there?").filter({ hasText: "delivered" }).waitFor();
  await shot(alice.page, "alice-delivered");
  await alice.page.reload();
  await status("are you there?").filter({ hasText: "delivered" }).waitFor();

  // Bob opens the chat: read; then leaves it, and a new message is only delivered.
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  await status("are you there?").filter({ hasText: "read" }).waitFor();
  await bob.page.evaluate(() => document.getElementById("back").click()); // the button shows on narrow screens only
  await alice.page.getByLabel("Message", { exact: true }).fill("one more thing");
  await alice.page.getByLabel("Message", { exact: true }).press("Enter");
  await status("one more thing").filter({ hasText: "delivered" }).waitFor();

  // A reload learns both from the dialog (the peer's markers), not from pushes.
  await alice.page.reload();
  await status("one more thing").filter({ hasText: "delivered" }).waitFor();
  assert.equal(await status("are you there?").textContent(), "read");
  await alice.context.close();
  await bob.context.close();
});
