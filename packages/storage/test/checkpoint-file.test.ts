import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import {
  formatOffsetCheckpoint,
  parseOffsetCheckpoint,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from "../src/checkpoint-file.ts";
import { tempDir } from "./support/fixtures.ts";

test("writes Kafka's format and reads it back, topics with dashes and dots included", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, "recovery-point-offset-checkpoint");
  const entries = [
    { topic: "orders", partition: 0, offset: 1520n },
    { topic: "my.topic-name", partition: 3, offset: 88n },
    { topic: "__consumer_offsets", partition: 49, offset: 9223372036854775807n },
  ];
  await writeOffsetCheckpoint(path, entries);
  assert.equal(
    await readFile(path, "utf8"),
    "0\n3\norders 0 1520\nmy.topic-name 3 88\n__consumer_offsets 49 9223372036854775807\n",
  );
  assert.deepEqual(await readOffsetCheckpoint(path), { status: "ok", entries });
  assert.deepEqual(await readdir(dir), ["recovery-point-offset-checkpoint"], "no .tmp file is left behind");
});

test("a rewrite replaces the file whole; an empty file (Kafka creates one) has no entries", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, "log-start-offset-checkpoint");
  await writeOffsetCheckpoint(path, [{ topic: "a", partition: 0, offset: 5n }]);
  await writeOffsetCheckpoint(path, []);
  assert.equal(await readFile(path, "utf8"), "0\n0\n");
  await writeFile(path, "");
  assert.deepEqual(await readOffsetCheckpoint(path), { status: "ok", entries: [] });
  assert.deepEqual(await readOffsetCheckpoint(join(dir, "absent")), { status: "missing", entries: [] });
});

test("strict parsing: every malformed file is reported, never thrown", async (t) => {
  const corrupt: [string, RegExp][] = [
    ["1\n0\n", /unsupported version 1/],
    ["x\n0\n", /malformed version/],
    ["0\n", /count line is missing/],
    ["0\ntwo\n", /malformed entry count/],
    ["0\n2\na 0 1\n", /expected 2 entries, found 1/],
    ["0\n1\na 0 1\nb 0 2\n", /expected 1 entries, found 2/],
    ["0\n1\na 0\n", /malformed entry/],
    ["0\n1\na x 1\n", /malformed entry/],
    ["0\n1\na 0 1 extra\n", /malformed entry/],
    ["0\n1\n a 0 1\n", /malformed entry/],
    ["0\n1\nbad/topic 0 1\n", /invalid topic name/],
    ["0\n1\na 2147483648 1\n", /partition 2147483648 is out of range/],
    ["0\n1\na 0 9223372036854775808\n", /not an int64/],
    ["0\n2\na 0 1\na 0 2\n", /a-0 appears twice/],
    ["0\n1\n\n", /malformed entry/],
  ];
  for (const [text, problem] of corrupt) {
    const parsed = parseOffsetCheckpoint(text);
    assert.equal(typeof parsed, "string", `${JSON.stringify(text)} should be rejected`);
    assert.match(parsed as string, problem, JSON.stringify(text));
  }
  const dir = await tempDir(t);
  const path = join(dir, "cleaner-offset-checkpoint");
  await writeFile(path, "0\n3\ntorn 0 1\n");
  const read = await readOffsetCheckpoint(path);
  assert.equal(read.status, "corrupt");
  assert.deepEqual(read.entries, []);
  assert.match(
    read.status === "corrupt" ? read.problem : "",
    /cleaner-offset-checkpoint: expected 3 entries/,
  );
});

test("tolerates what Kafka's reader tolerates: CRLF line ends, a missing final newline, tabs", () => {
  assert.deepEqual(parseOffsetCheckpoint("0\r\n1\r\nt 1 7\r\n"), [{ topic: "t", partition: 1, offset: 7n }]);
  assert.deepEqual(parseOffsetCheckpoint("0\n1\nt\t1  7"), [{ topic: "t", partition: 1, offset: 7n }]);
  assert.equal(formatOffsetCheckpoint([]), "0\n0\n");
});
