// Browser tests of the web client's accessibility: every control has a name a screen reader can
// say, the chat works from the keyboard alone, and a phone-sized window shows one pane at a time.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { browserUser, chatWith, launch, say, screenshots, suffix } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Visible controls without an accessible name (aria-label, a label, text, title or alt). */
function unnamed(page) {
  return page.evaluate(() => {
    const visible = (e) => e.offsetParent !== null && getComputedStyle(e).visibility !== "hidden";
    const name = (e) => {
      if (e.getAttribute("aria-label")?.trim()) return true;
      const by = e.getAttribute("aria-labelledby");
      if (by && document.getElementById(by)?.textContent.trim()) return true;
      if (e.id && document.querySelector(`label[for="${e.id}"]`)?.textContent.trim()) return true;
      if (e.closest("label")?.textContent.trim()) return true;
      if (e.tagName === "BUTTON" || e.getAttribute("role") === "button") {
        if (e.textContent.trim() || e.querySelector("img[alt]")?.alt) return true;
      }
      return !!e.title?.trim();
    };
    return [...document.querySelectorAll("button, input, textarea, select, [role=button], progress, ol, ul[aria-label]")]
      .filter((e) => e.type !== "file" && visible(e) && !name(e))
      .map((e) => e.outerHTML.slice(0, 120));
  });
}

test("every visible control has an accessible name, with messages, toolbars and panels showing", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `aal_${s}`);
  const bob = await browserUser(browser, `abo_${s}`);
  await chatWith(alice, bob.name);
  await say(alice, "named?");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  const msg = bob.page.locator("#messages .msg", { hasText: "named?" });
  await msg.waitFor();
  await msg.hover(); // shows the message's toolbar
  await bob.page.getByRole("button", { name: "React 👍" }).click();
  await msg.locator(".reaction").waitFor();
  await msg.hover();
  for (const d of ["New group", "New channel", "Join a channel"]) await bob.page.getByText(d).click();
  assert.deepEqual(await unnamed(bob.page), []);

  await alice.page.getByText("New group").click();
  await alice.page.getByLabel("Group title", { exact: true }).fill("Named");
  await alice.page.getByRole("button", { name: "Create group" }).click();
  await alice.page.getByRole("button", { name: "Conversation info" }).click();
  await alice.page.locator("#member-list li").first().waitFor();
  assert.deepEqual(await unnamed(alice.page), []);

  const anonymous = await browser.newPage();
  await anonymous.goto(alice.page.url());
  await anonymous.getByRole("button", { name: "Sign up" }).waitFor();
  assert.deepEqual(await unnamed(anonymous), []);
  // The check itself finds a control without a name.
  await anonymous.evaluate(() => document.getElementById("auth-form").append(document.createElement("button")));
  assert.equal((await unnamed(anonymous)).length, 1);
  await anonymous.close();
  await alice.context.close();
  await bob.context.close();
});

test("the keyboard alone: log in, open a chat, send, reply, edit, cancel", async () => {
  const s = suffix();
  const bob = await browserUser(browser, `kbo_${s}`);
  const alice = await browserUser(browser, `kal_${s}`);
  await chatWith(bob, alice.name);
  await say(bob, "ping from bob");
  await bob.page.locator(".msg.mine .receipt").waitFor();

  // Alice logs out and back in with the keyboard only.
  await alice.page.getByRole("button", { name: "Log out" }).click();
  const page = alice.page;
  await page.getByLabel("Username", { exact: true }).waitFor();
  await page.getByLabel("Username", { exact: true }).focus();
  await page.keyboard.type(alice.name);
  await page.keyboard.press("Tab");
  await page.keyboard.type("correct horse battery");
  await page.keyboard.press("Enter");
  await page.locator("#me", { hasText: alice.name }).waitFor();

  // Tab to the dialog, Enter opens it; the composer has the focus.
  const dialog = page.locator("#dialogs li", { hasText: bob.name });
  await dialog.waitFor();
  for (let i = 0; i < 30 && !(await dialog.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.locator("#messages .msg", { hasText: "ping from bob" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "text");
  await page.keyboard.type("pong");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  await page.keyboard.press("Enter");
  await bob.page.locator("#messages .msg", { hasText: "pong\nsecond line" }).waitFor();

  // From the message list: Arrow Up reaches Bob's message, Tab its Reply button, Enter replies.
  await page.locator("#messages").focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /ping from bob/);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.locator("#context-text", { hasText: "Replying to" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "text");
  await page.keyboard.press("Escape");
  await page.locator("#context").waitFor({ state: "hidden" });
  await page.keyboard.type("a reply");
  await page.locator("#messages").focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await bob.page.locator("#messages .msg", { hasText: "a reply" }).locator(".quote", { hasText: "pong" }).waitFor();

  // Arrow Up in the empty box edits the last own message; Enter saves it.
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("a reply, edited");
  await page.keyboard.press("Enter");
  await bob.page.locator("#messages .msg", { hasText: "a reply, edited" }).locator(".edited").waitFor();
  await alice.context.close();
  await bob.context.close();
});

test("a phone-sized window shows the list or the chat, and nothing wider than the screen", async () => {
  const s = suffix();
  const bob = await browserUser(browser, `pbo_${s}`);
  const context = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
  const alice = { context, page: await context.newPage(), name: `pal_${s}` };
  await alice.page.goto(bob.page.url());
  await alice.page.getByLabel("Username", { exact: true }).fill(alice.name);
  await alice.page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await alice.page.getByRole("button", { name: "Sign up" }).click();
  await chatWith(alice, bob.name);
  assert.equal(await alice.page.locator("#side").isVisible(), false);
  await say(alice, "from my phone, a long line that has to wrap inside the bubble instead of widening the page");
  await bob.page.locator("#dialogs li", { hasText: alice.name }).click();
  await say(bob, "got it");
  await alice.page.locator("#messages .msg", { hasText: "got it" }).waitFor();
  const width = await alice.page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(width[0] <= width[1], `page ${width[0]} px wide in a ${width[1]} px window`);
  await alice.page.screenshot({ path: join(screenshots, "alice-phone.png") });
  await alice.page.getByRole("button", { name: "Back to conversations" }).tap();
  await alice.page.locator("#dialogs li", { hasText: bob.name }).waitFor();
  assert.equal(await alice.page.locator("#chat").isVisible(), false);
  await context.close();
  await bob.context.close();
});
