// `npm test`: starts a real Tern server (scripts/start-server.sh), runs the test files against it
// with node:test, then stops the server and removes its data. `node test/run.mjs FILE...` runs
// those test files instead (the web client's browser tests use it). TERNJS_URL=ws://host:port/ws runs
// the tests against a server that is already running instead.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { removeData, startServer } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// Test files to run: the arguments (as the web client's browser tests pass), else test/*.test.mjs.
const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join(here, f));

let server;
let url = process.env.TERNJS_URL;
if (!url) {
  server = await startServer();
  url = server.url;
}
console.log(`tern-js tests against ${url}`);
const tests = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], {
  env: { ...process.env, TERNJS_URL: url },
  stdio: "inherit",
});
const code = await new Promise((r) => tests.on("exit", (c, sig) => r(c ?? (sig ? 1 : 0))));
if (server) {
  const { data, logFile } = await server.stop();
  if (code !== 0) {
    console.error(`server log (last lines of ${logFile}):\n` + readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
  }
  removeData(data);
}
process.exit(code);
