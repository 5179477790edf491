// Captures request fixtures from real Kafka clients: for each client, starts the in-memory fake
// broker (./fake-broker.ts), runs the client's scenarios against it as child processes (each with
// a deadline, killed by pid if it hangs), and writes the distinct request frames it saw to
// packages/protocol/test/fixtures/requests/<client>/ as hex, with a manifest.json naming each
// file's API and version and, for Produce, the records every batch must decode to.
//
//   node scripts/capture-fixtures/capture.ts [kcat] [kafkajs] [kafka-python] [confluent-kafka]
//
// A developer step (it needs kcat and Debian's python3-kafka / python3-confluent-kafka); npm test
// only reads the committed fixtures.

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { apiByKey, decodeRequest, Produce, type ProduceRequest } from "@nagare/protocol";
import { BatchHeader, compressionFromName, splitBatches } from "@nagare/protocol/records";
import { type CapturedFrame, type FakeBroker, startFakeBroker } from "./fake-broker.ts";
import { type Codec, codecs, type ExpectedMessage, messagesFor, type ScenarioSpec } from "./spec.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const outRoot = join(root, "packages", "protocol", "test", "fixtures", "requests");
const debianPython = "/usr/bin/python3";
/** Distinct frames kept per api key and version (Produce frames with records are all kept). */
const maxPerVersion = 3;
const verbose = process.env.FX_VERBOSE === "1";

interface RunOptions {
  readonly input?: string;
  readonly env?: Record<string, string>;
  /** Hard deadline: the process is killed (SIGKILL, by pid) when it is still running then. */
  readonly timeoutMs: number;
  /** Polled every 100 ms; when true the process gets SIGINT to shut down cleanly. */
  readonly stopWhen?: () => boolean;
}

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdin?.end(options.input ?? "");
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals): void => {
      if (pid !== undefined && child.exitCode === null && child.signalCode === null)
        process.kill(pid, signal);
    };
    const deadline = setTimeout(() => kill("SIGKILL"), options.timeoutMs);
    let interrupted = false;
    const poll = setInterval(() => {
      if (!interrupted && options.stopWhen?.() === true) {
        interrupted = true;
        kill("SIGINT");
      }
    }, 100);
    child.on("error", (error) => {
      clearTimeout(deadline);
      clearInterval(poll);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(deadline);
      clearInterval(poll);
      resolve({ code, signal, output });
    });
  });
}

interface Client {
  readonly name: string;
  readonly spec: (bootstrap: string) => ScenarioSpec;
  readonly software: () => Promise<string>;
  readonly scenarios: (spec: ScenarioSpec, broker: FakeBroker) => Promise<void>;
}

function baseSpec(bootstrap: string, clientId: string, produce: ScenarioSpec["produce"]): ScenarioSpec {
  return {
    bootstrap,
    clientId,
    produce,
    createTopic: "fx-admin",
    group: "fx-group",
    consumeTopic: "fx-none",
    consumeCount: 5,
  };
}

function checked(what: string, result: RunResult, acceptSignal = false): void {
  if (verbose || (result.code !== 0 && !(acceptSignal && result.signal === "SIGINT")))
    process.stderr.write(`--- ${what} output:\n${result.output}\n`);
  if (result.code === 0 || (acceptSignal && result.signal === "SIGINT")) return;
  throw new Error(`${what} failed (exit ${result.code ?? result.signal})`);
}

/** True once the broker has seen every one of the given api keys since frame `from`. */
function seen(broker: FakeBroker, from: number, names: readonly string[]): boolean {
  const keys = new Set(broker.frames.slice(from).map((f) => apiByKey(f.apiKey)?.name));
  return names.every((name) => keys.has(name));
}

const kcat: Client = {
  name: "kcat",
  // kcat's -H applies one set of headers to every message it produces.
  spec: (bootstrap) =>
    baseSpec(
      bootstrap,
      "rdkafka",
      codecs.map((codec) => ({ topic: `fx-${codec}`, codec, messages: messagesFor(codec, () => codec) })),
    ),
  software: async () => {
    const result = await run("kcat", ["-V"], { timeoutMs: 5000 });
    return /^Version .*$/m.exec(result.output)?.[0] ?? "kcat (unknown version)";
  },
  scenarios: async (spec, broker) => {
    const b = ["-b", spec.bootstrap];
    for (const produce of spec.produce) {
      const header = produce.messages[0]?.headers[0];
      const lines = produce.messages.map((m) => `${m.key}:${m.value}\n`).join("");
      const args = ["-P", ...b, "-t", produce.topic, "-z", produce.codec, "-K", ":", "-X", "linger.ms=100"];
      if (header) args.push("-H", `${header.key}=${header.value}`);
      checked(`kcat produce ${produce.codec}`, await run("kcat", args, { input: lines, timeoutMs: 15000 }));
    }
    checked(
      "kcat consume",
      await run("kcat", ["-C", ...b, "-t", spec.consumeTopic, "-o", "beginning", "-e", "-q"], {
        timeoutMs: 15000,
      }),
    );
    const from = broker.frames.length;
    const group = [
      ...b,
      "-G",
      spec.group,
      spec.consumeTopic,
      "-q",
      "-X",
      "auto.offset.reset=earliest",
      "-X",
      "heartbeat.interval.ms=300",
      "-X",
      "auto.commit.interval.ms=300",
    ];
    const stopWhen = () => seen(broker, from, ["SyncGroup", "Heartbeat", "OffsetCommit", "Fetch"]);
    checked("kcat group consumer", await run("kcat", group, { timeoutMs: 20000, stopWhen }), true);
  },
};

const kafkajs: Client = {
  name: "kafkajs",
  spec: (bootstrap) =>
    baseSpec(bootstrap, "fx-kafkajs", [
      { topic: "fx-none", codec: "none", messages: messagesFor("none", String) },
      { topic: "fx-gzip", codec: "gzip", messages: messagesFor("gzip", String) },
      { topic: "fx-idempotent", codec: "none", idempotent: true, messages: messagesFor("none", String) },
    ]),
  software: async () => {
    const pkg = JSON.parse(readFileSync(join(root, "node_modules", "kafkajs", "package.json"), "utf8")) as {
      version: string;
    };
    return `kafkajs ${pkg.version}`;
  },
  scenarios: async (spec) => {
    const script = join(here, "clients", "kafkajs-scenario.ts");
    const env = { FX_SPEC: JSON.stringify(spec) };
    checked("kafkajs scenario", await run(process.execPath, [script], { env, timeoutMs: 60000 }));
  },
};

function pythonClient(
  name: string,
  script: string,
  clientId: string,
  versionCode: string,
  extra: ScenarioSpec["produce"] = [],
): Client {
  return {
    name,
    spec: (bootstrap) =>
      baseSpec(bootstrap, clientId, [
        ...codecs.map((codec) => ({ topic: `fx-${codec}`, codec, messages: messagesFor(codec, String) })),
        ...extra,
      ]),
    software: async () => (await run(debianPython, ["-c", versionCode], { timeoutMs: 10000 })).output.trim(),
    scenarios: async (spec) => {
      const env = { FX_SPEC: JSON.stringify(spec) };
      const path = join(here, "clients", script);
      checked(`${name} scenario`, await run(debianPython, [path], { env, timeoutMs: 90000 }));
    },
  };
}

const clients: readonly Client[] = [
  kcat,
  kafkajs,
  pythonClient(
    "kafka-python",
    "kafka_python_scenario.py",
    "fx-kafka-python",
    "import kafka; print('kafka-python', kafka.__version__)",
  ),
  pythonClient(
    "confluent-kafka",
    "confluent_kafka_scenario.py",
    "fx-confluent-kafka",
    "import confluent_kafka as c; print('confluent-kafka', c.version()[0], 'librdkafka', c.libversion()[0])",
    [{ topic: "fx-idempotent", codec: "lz4", idempotent: true, messages: messagesFor("lz4", String) }],
  ),
];

interface ProduceExpectation {
  topic: string;
  partition: number;
  compression: Codec;
  idempotent: boolean;
  messages: ExpectedMessage[];
}

interface ManifestEntry {
  file: string;
  api: string;
  apiKey: number;
  version: number;
  /** Of the frame bytes, so a fixture edited by hand is noticed. */
  sha256: string;
  produce?: ProduceExpectation[];
}

/** The frame without its correlation id, to tell repeated requests (polls, heartbeats) apart. */
function identity(frame: Buffer): string {
  const copy = Buffer.from(frame);
  copy.writeInt32BE(0, 4);
  return copy.toString("hex");
}

function produceExpectations(
  frame: Buffer,
  spec: ScenarioSpec,
  cursors: Map<string, number>,
): ProduceExpectation[] | "no-records" {
  const request = decodeRequest(frame, apiByKey).body as unknown as ProduceRequest;
  const out: ProduceExpectation[] = [];
  for (const topic of request.topicData) {
    const produced = spec.produce.find((p) => p.topic === topic.name);
    if (!produced) throw new Error(`Produce to ${topic.name}, which no scenario writes`);
    for (const partition of topic.partitionData) {
      if (!partition.records || partition.records.length === 0) continue;
      // The batch headers say how many records this request carries; they are the next ones sent.
      let count = 0;
      for (const span of splitBatches(partition.records).batches) {
        const header = new BatchHeader(partition.records, span.position);
        count += header.recordCount;
        // Clients fall back to no compression when it does not pay; such a batch is no fixture
        // for the codec that was asked for.
        if (header.compression !== compressionFromName(produced.codec))
          throw new Error(
            `${topic.name}: batch compression ${header.compression}, asked for ${produced.codec}`,
          );
      }
      const at = cursors.get(topic.name) ?? 0;
      if (at + count > produced.messages.length)
        throw new Error(`${topic.name} received more records than the scenario produced`);
      cursors.set(topic.name, at + count);
      out.push({
        topic: topic.name,
        partition: partition.index,
        compression: produced.codec,
        idempotent: produced.idempotent === true,
        messages: produced.messages.slice(at, at + count),
      });
    }
  }
  return out.length === 0 ? "no-records" : out;
}

function writeFixtures(
  client: Client,
  spec: ScenarioSpec,
  software: string,
  frames: readonly CapturedFrame[],
) {
  const seenFrames = new Set<string>();
  const perVersion = new Map<string, number>();
  const cursors = new Map<string, number>();
  const fixtures: ManifestEntry[] = [];
  const contents: string[] = [];
  for (const { apiKey, apiVersion, frame } of frames) {
    const key = identity(frame);
    if (seenFrames.has(key)) continue;
    seenFrames.add(key);
    const api = apiByKey(apiKey)?.name ?? `Api${apiKey}`;
    let produce: ProduceExpectation[] | undefined;
    if (apiKey === Produce.apiKey) {
      const expected = produceExpectations(frame, spec, cursors);
      if (expected !== "no-records") produce = expected;
    }
    const slot = `${apiKey}/${apiVersion}`;
    const count = perVersion.get(slot) ?? 0;
    if (produce === undefined && count >= maxPerVersion) continue;
    perVersion.set(slot, count + 1);
    const file = `${String(fixtures.length + 1).padStart(2, "0")}-${api}-v${apiVersion}.hex`;
    const hex = frame.toString("hex").replace(/(.{64})/g, "$1\n");
    contents.push(hex.endsWith("\n") ? hex : `${hex}\n`);
    const sha256 = createHash("sha256").update(frame).digest("hex");
    fixtures.push({ file, api, apiKey, version: apiVersion, sha256, ...(produce ? { produce } : {}) });
  }
  for (const produced of spec.produce) {
    const got = cursors.get(produced.topic) ?? 0;
    if (got !== produced.messages.length)
      throw new Error(
        `${client.name}: captured ${got} of ${produced.messages.length} records for ${produced.topic}`,
      );
  }
  // Written only once everything checked out, so a failed run leaves the old fixtures alone.
  const dir = join(outRoot, client.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [i, fixture] of fixtures.entries())
    writeFileSync(join(dir, fixture.file), contents[i] as string);
  const manifest = { client: client.name, software, fixtures };
  writeFileSync(join(dir, "manifest.json"), `${formatManifest(manifest)}\n`);
  return fixtures;
}

/** Indented JSON, except that each expected message stays on one line. */
function formatManifest(manifest: object): string {
  const messages: string[] = [];
  const json = JSON.stringify(
    manifest,
    (key, value: unknown) => {
      if (key !== "messages" || !Array.isArray(value)) return value;
      return value.map((message: unknown) => `\u0000${messages.push(JSON.stringify(message)) - 1}`);
    },
    2,
  );
  return json.replace(/"\\u0000(\d+)"/g, (_, index: string) => messages[Number(index)] as string);
}

async function capture(client: Client): Promise<void> {
  const log = verbose ? (line: string) => process.stderr.write(`  [broker] ${line}\n`) : undefined;
  const broker = await startFakeBroker({
    partitions: (topic) => (topic === "fx-admin" ? 2 : 1),
    ...(log ? { log } : {}),
  });
  try {
    const spec = client.spec(`127.0.0.1:${broker.port}`);
    const software = await client.software();
    await client.scenarios(spec, broker);
    const fixtures = writeFixtures(client, spec, software, broker.frames);
    const summary = new Map<string, number[]>();
    for (const f of fixtures) summary.set(f.api, [...new Set([...(summary.get(f.api) ?? []), f.version])]);
    const listing = [...summary].map(([api, versions]) => `${api} v${versions.join(",")}`).join("; ");
    process.stdout.write(`${client.name} (${software}): ${fixtures.length} fixtures: ${listing}\n`);
  } finally {
    await broker.close();
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !clients.some((c) => c.name === name));
if (unknown.length > 0)
  throw new Error(
    `unknown client(s) ${unknown.join(", ")}; known: kcat kafkajs kafka-python confluent-kafka`,
  );
let failed = 0;
for (const client of clients) {
  if (wanted.length > 0 && !wanted.includes(client.name)) continue;
  try {
    await capture(client);
  } catch (error) {
    failed++;
    process.stderr.write(`${client.name}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
mkdirSync(outRoot, { recursive: true });
process.stdout.write(`fixtures in ${outRoot}: ${readdirSync(outRoot).join(", ")}\n`);
process.exitCode = failed > 0 ? 1 : 0;
