// Browser tests of channels and of group management in the web client (setup as in
// chat.test.mjs): create, join by public name, admin-only posting, posts while offline, members
// panel, mentions in the dialog list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { browserUser, bubble, chatWith, launch, say, screenshots, suffix } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a channel: created with a public name, joined by name, posts live and after a network drop", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `cal_${s}`);
  const bob = await browserUser(browser, `cbo_${s}`);
  const name = `news_${s}`;
  await alice.page.getByText("New channel").click();
  await alice.page.getByLabel("Channel title", { exact: true }).fill("Tern news");
  await alice.page.getByLabel("Public name (optional)", { exact: true }).fill(name);
  await alice.page.getByLabel("Description", { exact: true }).fill("Releases and notes");
  await alice.page.getByRole("button", { name: "Create channel" }).click();
  await alice.page.locator("#chat-title", { hasText: "Tern news" }).waitFor();
  // Bob finds it by name and joins; he may read but not post.
  await bob.page.getByText("Join a channel").click();
  await bob.page.getByLabel("Channel name", { exact: true }).fill(name);
  await bob.page.getByRole("button", { name: "Join channel" }).click();
  await bob.page.locator("#chat-title", { hasText: "Tern news" }).waitFor();
  await bob.page.locator("#text[disabled]").waitFor();
  assert.equal(await bob.page.getByLabel("Message", { exact: true }).getAttribute("placeholder"), "Only admins can post here");
  await bob.page.locator("#dialogs li", { hasText: "Tern news" }).waitFor();

  // Posts made while Bob is offline are not in his update log (fan-out on read): the client
  // fetches them when it is back (twice: before and after a live post).
  const offline = async (posts) => {
    await bob.context.setOffline(true);
    await bob.page.locator("#banner", { hasText: "Reconnecting" }).waitFor({ timeout: 45_000 });
    for (const p of posts) await say(alice, p);
    await bubble(alice, posts.at(-1)).locator(".meta").waitFor();
    await bob.context.setOffline(false);
    await bubble(bob, posts.at(-1)).waitFor({ timeout: 45_000 });
  };
  await offline(["first post", "second post"]);
  await say(alice, "third post");
  await bubble(bob, "third post").waitFor();
  await offline(["fourth post", "fifth post"]);
  const posts = (await bob.page.locator("#messages .msg:not(.service) .body").allTextContents());
  assert.deepEqual(posts, ["first post", "second post", "third post", "fourth post", "fifth post"]);

  // The owner's info panel: public name, two members, the owner marked.
  await alice.page.getByRole("button", { name: "Conversation info" }).click();
  await alice.page.locator("#info-facts", { hasText: `@${name}` }).waitFor();
  await alice.page.locator("#info-facts", { hasText: "2 members" }).waitFor();
  await alice.page.locator("#member-list li", { hasText: "owner" }).waitFor();
  await bob.page.screenshot({ path: join(screenshots, "bob-channel.png") });
  await alice.context.close();
  await bob.context.close();
});

test("a group member is added from the info panel; a mention shows in the dialog list", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `gma_${s}`);
  const bob = await browserUser(browser, `gmb_${s}`);
  const carol = await browserUser(browser, `gmc_${s}`);
  await alice.page.getByText("New group").click();
  await alice.page.getByLabel("Group title", { exact: true }).fill("Trip");
  await alice.page.getByLabel("Members (usernames, comma-separated)", { exact: true }).fill(bob.name);
  await alice.page.getByRole("button", { name: "Create group" }).click();
  await alice.page.locator("#chat-title", { hasText: "Trip" }).waitFor();

  await alice.page.getByRole("button", { name: "Conversation info" }).click();
  await alice.page.getByLabel("Add member by username", { exact: true }).fill(carol.name);
  await alice.page.getByRole("button", { name: "Add member", exact: true }).click();
  await alice.page.locator("#member-list li", { hasText: carol.name }).waitFor();
  await bubble(alice, `You added ${carol.name}`).waitFor();

  // Carol is elsewhere (a direct chat) when Alice mentions her: the group's dialog shows it.
  await chatWith(carol, bob.name);
  await say(alice, `@${carol.name} can you book the cabin?`);
  await say(alice, "and the train");
  const dialog = carol.page.locator("#dialogs li", { hasText: "Trip" });
  await dialog.locator(".mention").waitFor();
  assert.match(await dialog.getAttribute("aria-label"), /Trip, group, \d+ unread, 1 mention/);
  await dialog.click();
  await bubble(carol, "can you book the cabin?").waitFor();
  await bubble(carol, `${alice.name} added You`).or(bubble(carol, `${alice.name} added ${carol.name}`)).first().waitFor();
  await dialog.locator(".mention").waitFor({ state: "detached" });
  await carol.page.screenshot({ path: join(screenshots, "carol-group.png") });
  for (const u of [alice, bob, carol]) await u.context.close();
});

test("a chat that missed more than 20 pages while offline shows its newest page, with no hole", async () => {
  const s = suffix();
  const alice = await browserUser(browser, `bca_${s}`);
  const bob = await browserUser(browser, `bcb_${s}`);
  const name = `many_${s}`;
  await alice.page.getByText("New channel").click();
  await alice.page.getByLabel("Channel title", { exact: true }).fill("Firehose");
  await alice.page.getByLabel("Public name (optional)", { exact: true }).fill(name);
  await alice.page.getByRole("button", { name: "Create channel" }).click();
  await alice.page.locator("#chat-title", { hasText: "Firehose" }).waitFor();
  await say(alice, "post 0");
  await bob.page.getByText("Join a channel").click();
  await bob.page.getByLabel("Channel name", { exact: true }).fill(name);
  await bob.page.getByRole("button", { name: "Join channel" }).click();
  await bubble(bob, "post 0").waitFor();

  await bob.context.setOffline(true);
  await bob.page.locator("#banner", { hasText: "Reconnecting" }).waitFor({ timeout: 45_000 });
  // 650 posts (over 20 pages of 30) from another device of Alice's, through the SDK the page serves.
  const posted = await alice.page.evaluate(async ([user, password]) => {
    const { TernClient } = await import("/sdk/index.js");
    const c = await TernClient.connect({ url: `ws://${location.host}/ws` });
    await c.login(user, password, "bulk");
    const id = (await c.dialogs({ limit: 10 })).dialogs.find((d) => d.title === "Firehose").conversationId;
    const acks = [];
    for (let i = 1; i <= 650; i++) acks.push(c.sendText(id, `post ${i}`));
    const last = await Promise.all(acks);
    c.close();
    return last.length;
  }, [alice.name, "correct horse battery"]);
  assert.equal(posted, 650);
  await bob.context.setOffline(false);
  await bubble(bob, "post 650").waitFor({ timeout: 45_000 });
  const shown = async () => (await bob.page.locator("#messages .msg:not(.service) .body").allTextContents())
    .map((t) => Number(t.replace("post ", "")));
  const consecutive = (xs) => xs.every((x, i) => i === 0 || x === xs[i - 1] + 1);
  let posts = await shown();
  assert.equal(posts.at(-1), 650);
  assert.ok(consecutive(posts), `no hole: ${posts.join(",")}`);
  // Scrolling up fills in the older posts, still without a hole.
  await bob.page.locator("#messages").evaluate((e) => { e.scrollTop = 0; });
  await bob.page.waitForFunction((n) => document.querySelectorAll("#messages .msg:not(.service)").length > n, posts.length);
  posts = await shown();
  assert.ok(consecutive(posts), `no hole after scrolling: ${posts.slice(0, 5).join(",")}…`);
  await alice.context.close();
  await bob.context.close();
});
