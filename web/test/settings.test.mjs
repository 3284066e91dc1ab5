// Browser tests of conversation settings in the web client (setup as in chat.test.mjs): mute,
// pin and archive a chat, drafts, forwarding, pinned messages.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { browserUser, bubble, chatWith, launch, say, screenshots, suffix } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function menu(u, item) {
  await u.page.getByRole("button", { name: "Chat settings" }).click();
  await u.page.getByRole("menuitem", { name: item, exact: true }).click();
}

test("mute, pin and archive a chat; a draft follows the user", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `sma_${s}`);
  const bob = await browserUser(browser, `smb_${s}`);
  const carol = await browserUser(browser, `smc_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "hello bob");
  await chatWith(alice, carol.name);
  await say(alice, "hello carol");
  const bobDialog = alice.page.locator("#dialogs li", { hasText: bob.name });
  await bobDialog.click();
  await menu(alice, "Mute");
  await menu(alice, "Pin chat");
  await alice.page.waitForFunction((name) => {
    const li = [...document.querySelectorAll("#dialogs li")].find((e) => e.textContent.includes(name));
    return li && /pinned, muted/.test(li.getAttribute("aria-label"));
  }, bob.name);
  // Pinned first, even though carol's chat is newer.
  assert.match(await alice.page.locator("#dialogs li").first().textContent(), new RegExp(bob.name));

  // A draft: typed, not sent, kept when switching chats and after a reload.
  await alice.page.getByLabel("Message", { exact: true }).fill("half a thought");
  await alice.page.locator("#dialogs li", { hasText: carol.name }).click();
  await bobDialog.locator(".preview", { hasText: "Draft: half a thought" }).waitFor();
  await alice.page.reload();
  await alice.page.locator("#dialogs li", { hasText: bob.name }).locator(".preview", { hasText: "Draft: half a thought" }).waitFor();
  await alice.page.locator("#dialogs li", { hasText: bob.name }).click();
  assert.equal(await alice.page.getByLabel("Message", { exact: true }).inputValue(), "half a thought");
  await alice.page.getByLabel("Message", { exact: true }).press("Enter"); // sending it ends the draft
  await alice.page.locator("#dialogs li", { hasText: bob.name }).locator(".preview", { hasText: "You: half a thought" }).waitFor();

  // Archive: the chat leaves the list and shows under "Archived chats".
  await menu(alice, "Unpin chat");
  await menu(alice, "Archive");
  await alice.page.locator("#dialogs li", { hasText: bob.name }).waitFor({ state: "detached" });
  await alice.page.getByRole("button", { name: "Archived chats" }).click();
  await alice.page.locator("#dialogs li", { hasText: bob.name }).waitFor();
  assert.equal(await alice.page.locator("#dialogs li", { hasText: carol.name }).count(), 0);
  await menu(alice, "Unarchive");
  await alice.page.getByRole("button", { name: "Back to chats" }).click();
  await alice.page.locator("#dialogs li", { hasText: bob.name }).waitFor();
  for (const u of [alice, bob, carol]) await u.context.close();
});

test("forward a message to a group; pin a message and jump to it", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `fwa_${s}`);
  const bob = await browserUser(browser, `fwb_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "the meeting is at 3 pm");
  for (let i = 1; i <= 35; i++) await say(alice, `later ${i}`);
  await alice.page.locator(".msg.mine").nth(35).locator(".receipt").waitFor();

  await bob.page.getByText("New group").click();
  await bob.page.getByLabel("Group title", { exact: true }).fill("Team");
  await bob.page.getByRole("button", { name: "Create group" }).click();
  await bob.page.locator("#chat-title", { hasText: "Team" }).waitFor();
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  await bob.page.getByRole("button", { name: "Pinned message, show it" }).waitFor({ state: "hidden" });

  // Bob pins the first message (scrolling up to it) and forwards it to his group.
  await bob.page.getByLabel("Search messages", { exact: true }).fill("meeting");
  await bob.page.locator("#results li", { hasText: "the meeting is at 3 pm" }).click();
  const first = bubble(bob, "the meeting is at 3 pm");
  await first.hover();
  await first.getByRole("button", { name: "Pin", exact: true }).click();
  await bob.page.locator("#pinned-text", { hasText: "the meeting is at 3 pm" }).waitFor();
  await bubble(bob, "You pinned a message").waitFor();
  await alice.page.locator("#pinned-text", { hasText: "the meeting is at 3 pm" }).waitFor();
  await bubble(alice, `${bob.name} pinned a message`).waitFor();
  await first.hover();
  await first.getByRole("button", { name: "Forward", exact: true }).click();
  await bob.page.getByRole("dialog", { name: "Forward to…" }).getByRole("button", { name: "Team" }).click();
  await bob.page.locator("#typing", { hasText: "Forwarded to Team" }).waitFor();
  await bob.page.getByLabel("Search messages", { exact: true }).fill("");

  // Alice reloads (newest page only) and uses the pinned bar to jump back to the message.
  await alice.page.reload();
  await alice.page.locator("#pinned-text", { hasText: "the meeting is at 3 pm" }).waitFor();
  await alice.page.getByRole("button", { name: "Pinned message, show it" }).click();
  await alice.page.locator("#messages .msg.highlight", { hasText: "the meeting is at 3 pm" }).waitFor();
  // Unpinning the only pin hides the bar, and the message can be pinned again.
  const pinned = bubble(alice, "the meeting is at 3 pm").first();
  await pinned.hover();
  await pinned.getByRole("button", { name: "Unpin", exact: true }).click();
  await alice.page.locator("#pinned").waitFor({ state: "hidden" });
  await pinned.hover();
  await pinned.getByRole("button", { name: "Pin", exact: true }).click();
  await alice.page.locator("#pinned-text", { hasText: "the meeting is at 3 pm" }).waitFor();

  await bob.page.locator("#dialogs li", { hasText: "Team" }).click();
  const fwd = bubble(bob, "the meeting is at 3 pm");
  await fwd.locator(".forwarded", { hasText: `Forwarded from ${alice.name}` }).waitFor();
  await bob.page.screenshot({ path: join(screenshots, "bob-forwarded.png") });
  await alice.context.close();
  await bob.context.close();
});

test("a message in a chat the user is not looking at makes a desktop notification, unless muted", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `noa_${s}`);
  const carol = await browserUser(browser, `noc_${s}`);
  // Bob allows notifications; his page records the ones it makes (the real Notification is still
  // constructed; headless Chromium shows no desktop to look at).
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(() => {
    const Real = window.Notification;
    window.shown = [];
    window.Notification = class extends Real {
      constructor(title, options) {
        super(title, options);
        window.shown.push({ title, body: options?.body });
      }
    };
  });
  const bob = await browserUser(browser, `nob_${s}`, context);
  await chatWith(bob, carol.name);
  await chatWith(alice, bob.name);
  await say(alice, "dinner tonight?");
  await bob.page.waitForFunction(() => window.shown.length === 1);
  assert.deepEqual(await bob.page.evaluate(() => window.shown), [{ title: alice.name, body: "dinner tonight?" }]);

  // In the open chat nothing pops up; a muted chat stays quiet.
  await chatWith(carol, bob.name);
  await say(carol, "hi bob");
  await bob.page.locator("#messages .msg", { hasText: "hi bob" }).waitFor();
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  await menu(bob, "Mute");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).and(bob.page.locator("[aria-label*=muted]")).waitFor();
  await bob.page.locator("#dialogs li", { hasText: carol.name }).click();
  await say(alice, "hello?");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).locator(".preview", { hasText: "hello?" }).waitFor();
  assert.equal(await bob.page.evaluate(() => window.shown.length), 1);
  for (const u of [alice, bob, carol]) await u.context.close();
});
