// Makes docs/web-client.png, the README's picture of the web client: three users, a group with a
// reply, reactions and a picture, seen by one of them. Not a test; run it against a server:
//   TERNJS_URL=ws://127.0.0.1:8080/ws node web/test/readme-shot.mjs
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { browserUser, chatWith, launch, png, say } from "./browser.mjs";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "web-client.png");
const s = Date.now().toString(36).slice(-4);
const browser = await launch();
const users = [];
for (const n of ["ana", "ben", "cleo"]) users.push(await browserUser(browser, `${n}_${s}`));
const [a, b, c] = users;

await chatWith(b, a.name);
await say(b, "Are we still on for Saturday?");
await a.page.getByText("New group").click();
await a.page.getByLabel("Group title", { exact: true }).fill("Climbing crew");
await a.page.getByLabel("Members (usernames, comma-separated)", { exact: true }).fill(`${b.name}, ${c.name}`);
await a.page.getByRole("button", { name: "Create group" }).click();
await a.page.locator("#chat-title", { hasText: "Climbing crew" }).waitFor();
await say(a, "Saturday at the north wall, 9:00?");
for (const u of [b, c]) await u.page.locator("#dialogs li", { hasText: "Climbing crew" }).click();
const msg = (u, text) => u.page.locator("#messages .msg", { hasText: text }).first();
await msg(c, "north wall").hover();
await msg(c, "north wall").getByRole("button", { name: "Reply", exact: true }).click();
await say(c, "Count me in, I'll bring the rope");
await msg(b, "north wall").hover();
await msg(b, "north wall").getByRole("button", { name: "React 👍", exact: true }).click();
await msg(c, "north wall").hover();
await msg(c, "north wall").getByRole("button", { name: "React 👍", exact: true }).click();
await b.page.locator("#file").setInputFiles({ name: "topo.png", mimeType: "image/png", buffer: png(960, 640) });
await msg(a, "rope").waitFor();
await a.page.locator("#messages img.thumb").waitFor();
await say(b, "Here is the topo of the route");
await msg(a, "topo of the route").waitFor();
await a.page.locator("#messages .msg .reaction", { hasText: "👍 2" }).waitFor();
await a.page.setViewportSize({ width: 1000, height: 720 });
await a.page.mouse.move(0, 0);
await a.page.waitForTimeout(500);
await a.page.screenshot({ path: out });
console.log(`wrote ${out}`);
await browser.close();
