// nagare produce, consume and perf run as processes against a broker; kcat checks what
// `produce` wrote and writes what `consume` must print.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startBroker } from "@nagare/testkit";
import { run } from "../e2e/support/clients.ts";
import { consumeWithKcat, kcat } from "../e2e/support/messages.ts";

const main = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));

function nagare(bootstrap: string, args: string[], input = "") {
  return run(process.execPath, [main, ...args, "--bootstrap-server", bootstrap], {
    timeoutMs: 60_000,
    input,
  });
}

test("produce: lines from stdin with keys and headers, read back exactly by kcat", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  assert.equal((await nagare(b, ["topics", "create", "--topic", "lines", "--partitions", "1"])).code, 0);
  let r = await nagare(
    b,
    ["produce", "--topic", "lines", "--key-separator", ":"],
    "k1:first\nk2:second value\n:empty key\n",
  );
  assert.equal(r.code, 0, r.stderr);
  r = await nagare(
    b,
    [
      "produce",
      "--topic",
      "lines",
      "--property",
      "parse.headers=true",
      "--property",
      "parse.key=true",
      "--header",
      "src=cli",
    ],
    "trace:t-1,tenant:7\tk3\tthird\n",
  );
  assert.equal(r.code, 0, r.stderr);
  const read = await consumeWithKcat(b, "lines");
  assert.deepEqual(
    read.map((m) => [m.offset, m.key, m.value]),
    [
      [0, "k1", "first"],
      [1, "k2", "second value"],
      [2, "", "empty key"],
      [3, "k3", "third"],
    ],
  );
  assert.deepEqual(read[3]?.headers, [
    ["src", "cli"],
    ["trace", "t-1"],
    ["tenant", "7"],
  ]);
  r = await nagare(b, ["produce", "--topic", "lines", "--key-separator", ":"], "no separator here\n");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no key separator/);
});

test("consume: values by default, keys and positions on request, JSON, groups that commit", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  await nagare(b, ["topics", "create", "--topic", "news", "--partitions", "1"]);
  const produced = await run(kcat, ["-b", b, "-P", "-t", "news", "-K", "|", "-H", "h=1"], {
    input: "a|one\nb|two\nc|three\n",
    timeoutMs: 30_000,
  });
  assert.equal(produced.code, 0, produced.stderr);
  let r = await nagare(b, ["consume", "--topic", "news", "--from-beginning", "--max-messages", "3"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "one\ntwo\nthree\n");
  assert.equal(r.stderr, "Processed a total of 3 messages\n");
  r = await nagare(b, [
    "consume",
    "--topic",
    "news",
    "--from-beginning",
    "--max-messages",
    "2",
    "--property",
    "print.key=true",
    "--property",
    "print.offset=true",
    "--property",
    "print.headers=true",
  ]);
  assert.equal(r.stdout, "Offset:0\th:1\ta\tone\nOffset:1\th:1\tb\ttwo\n");
  r = await nagare(b, [
    "consume",
    "--topic",
    "news",
    "--partition",
    "0",
    "--offset",
    "2",
    "--timeout-ms",
    "1000",
    "--format",
    "json",
  ]);
  const json = JSON.parse(r.stdout.trim()) as {
    offset: number;
    key: string;
    value: string;
    headers: Record<string, string>;
  };
  assert.deepEqual([json.offset, json.key, json.value, json.headers], [2, "c", "three", { h: "1" }]);
  r = await nagare(b, [
    "consume",
    "--topic",
    "news",
    "--group",
    "cli-readers",
    "--from-beginning",
    "--max-messages",
    "3",
  ]);
  assert.equal(r.stdout, "one\ntwo\nthree\n");
  r = await nagare(b, ["groups", "describe", "--group", "cli-readers"]);
  assert.match(r.stdout, /cli-readers\s+news\s+0\s+3\s+3\s+0/);
  r = await nagare(b, ["consume", "--topic", "news", "--group", "cli-readers", "--timeout-ms", "1500"]);
  assert.equal(r.stdout, "", "the group resumes after its commit: nothing new");
  r = await nagare(b, ["consume", "--topic", "news", "--format", "yaml"]);
  assert.equal(r.code, 2);
});

test("perf produce and perf consume print Kafka's summaries", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const b = broker.bootstrap;
  await nagare(b, ["topics", "create", "--topic", "perf", "--partitions", "2"]);
  let r = await nagare(b, [
    "perf",
    "produce",
    "--topic",
    "perf",
    "--num-records",
    "3000",
    "--record-size",
    "100",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^3000 records sent, [\d.]+ records\/sec \([\d.]+ MB\/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, [\d.]+ ms 50th, [\d.]+ ms 95th, [\d.]+ ms 99th, [\d.]+ ms 99\.9th\.\n$/,
  );
  const ends = await run(kcat, ["-b", b, "-Q", "-t", "perf:0:-1", "-t", "perf:1:-1"], { timeoutMs: 30_000 });
  const total = ends.stdout
    .trim()
    .split("\n")
    .reduce((sum, line) => sum + Number(line.split(/\s+/).at(-1)), 0);
  assert.equal(total, 3000);
  r = await nagare(b, ["perf", "consume", "--topic", "perf", "--messages", "3000"]);
  assert.equal(r.code, 0, r.stderr);
  const [header, row] = r.stdout.trim().split("\n");
  assert.equal(header, "data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, seconds");
  assert.equal(row?.split(", ")[2], "3000");
});
