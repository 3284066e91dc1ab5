// Browser tests of what people do to messages in the web client: replies, edits, reactions,
// deletion, pictures with thumbnails and files with progress bars (setup as in chat.test.mjs).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { browserUser, bubble, chatWith, launch, png, say, screenshots, suffix } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Hovers a message (its toolbar appears) and presses one of its buttons. */
async function act(u, text, button) {
  const msg = bubble(u, text).last();
  await msg.hover();
  await msg.getByRole("button", { name: button, exact: true }).click();
}

test("replies, edits, reactions and deletion reach the other side live and after a reload", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `ral_${s}`);
  const bob = await browserUser(browser, `rbo_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "lunch at noon?");
  await alice.page.locator(".msg.mine .receipt", { hasText: /^(sent|delivered)$/ }).waitFor();
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();

  // Bob replies to Alice's question through the message's toolbar.
  await act(bob, "lunch at noon?", "Reply");
  await bob.page.locator("#context-text", { hasText: "Replying to" }).waitFor();
  await say(bob, "yes, at the usual place");
  const reply = bubble(alice, "yes, at the usual place");
  await reply.locator(".quote", { hasText: "lunch at noon?" }).waitFor();

  // Bob edits his answer (Arrow Up in the empty box edits the last own message).
  await bob.page.getByLabel("Message", { exact: true }).press("ArrowUp");
  await bob.page.locator("#context-text", { hasText: "Editing" }).waitFor();
  assert.equal(await bob.page.getByLabel("Message", { exact: true }).inputValue(), "yes, at the usual place");
  await bob.page.getByLabel("Message", { exact: true }).fill("yes, at the new place");
  await bob.page.getByLabel("Message", { exact: true }).press("Enter");
  const edited = bubble(alice, "yes, at the new place");
  await edited.locator(".edited").waitFor();
  await edited.locator(".quote", { hasText: "lunch at noon?" }).waitFor();
  assert.equal(await bubble(alice, "usual place").count(), 0);

  // Alice reacts; Bob sees the count; pressing Alice's chip takes it back.
  await act(alice, "yes, at the new place", "React 👍");
  await bubble(bob, "yes, at the new place").locator(".reaction", { hasText: "👍 1" }).waitFor();
  await bubble(alice, "yes, at the new place").locator(".reaction", { hasText: "👍 1" }).waitFor();
  await act(bob, "yes, at the new place", "React 👍");
  await bubble(alice, "yes, at the new place").locator(".reaction", { hasText: "👍 2" }).waitFor();
  await bubble(alice, "yes, at the new place").locator(".reaction", { hasText: "👍 2" }).click();
  await bubble(bob, "yes, at the new place").locator(".reaction", { hasText: "👍 1" }).waitFor();
  await bubble(alice, "yes, at the new place").locator(".reaction", { hasText: "👍 1" }).waitFor();
  await bob.page.screenshot({ path: join(screenshots, "bob-reply-edit-reaction.png") });

  // Alice deletes a message for everyone; Bob sees it go.
  await say(alice, "oops, wrong chat");
  await bubble(bob, "oops, wrong chat").waitFor();
  alice.page.once("dialog", (d) => d.accept());
  await act(alice, "oops, wrong chat", "Delete");
  await bubble(bob, "This message was deleted").waitFor();
  assert.equal(await bubble(bob, "oops, wrong chat").count(), 0);

  // After a reload the same state comes from the server: quote, edit mark, reaction, deletion.
  await bob.page.reload();
  await bubble(bob, "yes, at the new place").locator(".quote", { hasText: "lunch at noon?" }).waitFor();
  await bubble(bob, "yes, at the new place").locator(".edited").waitFor();
  await bubble(bob, "yes, at the new place").locator(".reaction", { hasText: "👍 1" }).waitFor();
  await bubble(bob, "This message was deleted").waitFor();
  // Alice's dialog list shows the newest message, deleted, as the preview.
  await alice.page.locator("#dialogs li .preview", { hasText: "This message was deleted" }).waitFor();
  await alice.context.close();
  await bob.context.close();
});

test("a picture shows its thumbnail on both sides; a file downloads intact", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `mal_${s}`);
  const bob = await browserUser(browser, `mbo_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "photos coming");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  await bubble(bob, "photos coming").waitFor();

  // A 1200x900 picture (about 1.5 MB as PNG, so several upload chunks): a progress bar, then
  // the server-made thumbnail (at most 320 px) on both sides.
  const picture = png(1200, 900);
  await alice.page.locator("#file").setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: picture });
  await alice.page.locator(".msg.upload progress").waitFor({ state: "attached" });
  for (const u of [alice, bob]) {
    const img = u.page.locator("#messages .msg img.thumb");
    await img.waitFor();
    await u.page.waitForFunction(() => {
      const i = document.querySelector("#messages .msg img.thumb");
      return i && i.complete && i.naturalWidth > 0;
    });
    const size = await img.evaluate((i) => [i.naturalWidth, i.naturalHeight]);
    assert.deepEqual(size, [320, 240], `${u.name}'s thumbnail`);
  }
  assert.equal(await alice.page.locator(".msg.upload").count(), 0, "the upload bubble became the message");
  await bob.page.screenshot({ path: join(screenshots, "bob-picture.png") });

  // A text file with a caption: a file button; downloading it gives the same bytes.
  const notes = Buffer.from("minutes of the meeting\n".repeat(200));
  await alice.page.getByLabel("Message", { exact: true }).fill("the notes");
  await alice.page.locator("#file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: notes });
  const file = bob.page.locator("#messages .msg .file", { hasText: "notes.txt" });
  await file.waitFor();
  await bubble(bob, "the notes").waitFor();
  const [download] = await Promise.all([bob.page.waitForEvent("download"), file.click()]);
  assert.equal(download.suggestedFilename(), "notes.txt");
  assert.deepEqual(await readFile(await download.path()), notes);
  await bob.page.locator("#dialogs li .preview", { hasText: "notes.txt: the notes" }).waitFor();
  await alice.context.close();
  await bob.context.close();
});

test("search finds an old message; opening the result scrolls back to it", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `sal_${s}`);
  const bob = await browserUser(browser, `sbo_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "the wifi password is quokka");
  for (let i = 1; i <= 40; i++) await say(alice, `filler message ${i}`);
  await alice.page.locator(".msg.mine").nth(40).locator(".receipt").waitFor(); // all 41 acknowledged

  await bob.page.getByLabel("Chat with username", { exact: true }).fill(alice.name.slice(0, 5));
  await bob.page.locator(`#user-results option[value="${alice.name}"]`).waitFor({ state: "attached" });
  await bob.page.getByLabel("Search messages", { exact: true }).fill("quokka");
  const hit = bob.page.locator("#results li", { hasText: "the wifi password is quokka" });
  await hit.waitFor();
  assert.equal(await bob.page.locator("#results li").count(), 1);
  await hit.click();
  // The chat opened at its newest page (30 messages); the hit is older and gets loaded and shown.
  const target = bob.page.locator("#messages .msg", { hasText: "the wifi password is quokka" });
  await target.waitFor();
  await bob.page.waitForFunction(() => {
    const box = document.getElementById("messages").getBoundingClientRect();
    const li = [...document.querySelectorAll("#messages .msg")].find((e) => e.textContent.includes("quokka"));
    const r = li?.getBoundingClientRect();
    return r && r.top >= box.top && r.bottom <= box.bottom;
  });
  assert.equal(await bob.page.locator("#messages .msg").count(), 41);
  await bob.page.getByLabel("Search messages", { exact: true }).press("Escape");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).waitFor();
  await alice.context.close();
  await bob.context.close();
});
