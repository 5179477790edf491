import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const main = new URL("../src/main.ts", import.meta.url).pathname;

test("unknown commands get a one-line error and exit code 2", () => {
  const result = spawnSync(process.execPath, [main, "frobnicate"], { encoding: "utf8" });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^nagare: unknown command "frobnicate"; run "nagare --help"/);
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

test("--help lists the commands", () => {
  const result = spawnSync(process.execPath, [main, "--help"], { encoding: "utf8" });
  assert.equal(result.status, 0);
  assert.match(result.stdout, /broker/);
  assert.match(result.stdout, /consume/);
});
