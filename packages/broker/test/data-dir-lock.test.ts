import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DataDirInUseError, lockDataDir } from "../src/data-dir-lock.ts";

test("a data dir locked by a live process is refused; a stale lock is taken over; unlock removes it", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "nagare-lock-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
  t.after(() => sleeper.kill("SIGKILL"));
  await writeFile(join(dir, ".lock"), `${sleeper.pid}\n`);
  await assert.rejects(
    lockDataDir(dir),
    (e: unknown) => e instanceof DataDirInUseError && /in use by another broker/.test(e.message),
  );

  sleeper.kill("SIGKILL");
  await new Promise((resolve) => sleeper.once("exit", resolve));
  const unlock = await lockDataDir(dir); // the owner is gone: stale
  assert.equal((await readFile(join(dir, ".lock"), "utf8")).trim(), String(process.pid));
  await unlock();
  await assert.rejects(readFile(join(dir, ".lock")), /ENOENT/);
});
