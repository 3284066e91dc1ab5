// Starts a throwaway Tern server for the tests (scripts/start-server.sh: port 0, a temporary data
// directory, no rate limits unless `args` set some) and says where it listens.
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Resolves with `{ url, stop }` once the server is ready; `args` go to the server (`--set k=v`).
 * `stop()` ends it and resolves with `{ data, logFile }`; removeData(data) then deletes them.
 */
export async function startServer(args = []) {
  const data = mkdtempSync(join(tmpdir(), "tern-js-test-"));
  const logFile = join(data, "server.log");
  const log = createWriteStream(logFile);
  const server = spawn(join(here, "..", "scripts", "start-server.sh"), args, {
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

/** Removes what a stopped server left: its data directory and log. */
export function removeData(data) {
  rmSync(data, { recursive: true, force: true });
}
