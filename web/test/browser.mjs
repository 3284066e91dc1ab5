// Shared by the web client's browser tests: headless Chromium (Debian's, or $CHROMIUM) driven by
// playwright-core, the server's address (TERNJS_URL from the SDK's test runner) and sign-up.
import { mkdirSync } from "node:fs";
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

/** A fresh browser context (its own storage) whose page has signed up `name` in the web client. */
export async function browserUser(browser, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
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
