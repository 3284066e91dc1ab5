// `npm test`: starts a real Tern server (scripts/start-server.sh), runs the test files against it
// with node:test, then stops the server and removes its data. `node test/run.mjs FILE...` runs
// those test files instead (the web client's browser tests use it). TERNJS_URL=ws://host:port/ws runs
// the tests against a server that is already running instead.
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// Test files to run: the arguments (as the web client's browser tests pass), else test/*.test.mjs.
const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join(here, f));

async function startServer() {
  const data = mkdtempSync(join(tmpdir(), "tern-js-test-"));
  const logFile = join(data, "server.log");
  const log = createWriteStream(logFile);
  const server = spawn(join(here, "..", "scripts", "start-server.sh"), [], {
    env: { ...process.env, TERNJS_DATA_DIR: data },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error("the server did not start in 180 s; log: " + logFile)), 180_000);
    const onData = (chunk) => {
      log.write(chunk);
      buffered += chunk.toString();
      const m = /Tern is ready\. Connect a client to (ws:\/\/\S+\/ws)/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
      if (buffered.length > 1 << 20) buffered = buffered.slice(-4096);
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n` + readFileSync(logFile, "utf8").slice(-4000)));
    });
  });
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      const t = setTimeout(() => server.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    }
    log.end();
    return { data, logFile };
  };
  return { url, stop };
}

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
  rmSync(data, { recursive: true, force: true });
}
process.exit(code);
