// Browser test of group creation in the web client (see chat.test.mjs for the setup).
import { after, before, test } from "node:test";
import { join } from "node:path";
import { browserUser, launch, screenshots } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a user creates a group; the member sees it and its messages with the sender's name", async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const alice = await browserUser(browser, `gal_${suffix}`);
  const bob = await browserUser(browser, `gbo_${suffix}`);
  await alice.page.getByText("New group").click();
  await alice.page.getByLabel("Group title", { exact: true }).fill("Climbing");
  await alice.page.getByLabel("Members (usernames, comma-separated)", { exact: true }).fill(bob.name);
  await alice.page.getByRole("button", { name: "Create group" }).click();
  await alice.page.locator("#chat-title", { hasText: "Climbing" }).waitFor();
  await alice.page.getByLabel("Message", { exact: true }).fill("saturday?");
  await alice.page.getByLabel("Message", { exact: true }).press("Enter");
  await alice.page.locator(".msg.mine", { hasText: "saturday?" }).locator(".receipt", { hasText: /^(sent|delivered)$/ }).waitFor();

  await bob.page.locator("#dialogs li", { hasText: "Climbing" }).click();
  const msg = bob.page.locator("#messages .msg", { hasText: "saturday?" });
  await msg.locator(".sender", { hasText: alice.name }).waitFor();
  await alice.page.locator(".msg.mine", { hasText: "saturday?" }).locator(".receipt", { hasText: "read" }).waitFor();
  await bob.page.screenshot({ path: join(screenshots, "bob-group.png") });
  await alice.context.close();
  await bob.context.close();
});
