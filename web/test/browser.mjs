// Shared by the web client's browser tests: headless Chromium (Debian's, or $CHROMIUM) driven by
// playwright-core, the server's address (TERNJS_URL from the SDK's test runner) and sign-up.
import { mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const screenshots = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
mkdirSync(screenshots, { recursive: true });
export const base = process.env.TERNJS_URL.replace(/^ws/, "http").replace(/\/ws$/, "/");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];
const PASSWORD = "correct horse battery";

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS, headless: true });
}

/** A fresh browser context (its own storage; or `context`) whose page has signed up `name` in the web client. */
export async function browserUser(browser, name, context = null) {
  context ??= await browser.newContext({ viewport: { width: 900, height: 640 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (e) => console.error(`[${name}] page error:`, e));
  await page.goto(base);
  await page.getByLabel("Username", { exact: true }).fill(name);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.locator("#me", { hasText: name }).waitFor();
  return { context, page, name };
}

/** A real PNG (RGB, a colour gradient) of the given size, made here so tests need no fixtures. */
export function png(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 160], row + 1 + x * 3);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Opens (or starts) the direct chat with `peer` from the side bar. */
export async function chatWith(u, peer) {
  await u.page.getByLabel("Chat with username", { exact: true }).fill(peer);
  await u.page.getByRole("button", { name: "Start chat" }).click();
  await u.page.locator("#chat-title", { hasText: peer }).waitFor();
}

/** A short suffix that makes the user names of one test unique on a shared server. */
export const suffix = () => Date.now().toString(36).slice(-6);

/** The message bubbles of `u`'s open chat that contain `text`. */
export const bubble = (u, text) => u.page.locator("#messages .msg", { hasText: text });

/** Types `text` into the composer and sends it with Enter. */
export async function say(u, text) {
  await u.page.getByLabel("Message", { exact: true }).fill(text);
  await u.page.getByLabel("Message", { exact: true }).press("Enter");
}
