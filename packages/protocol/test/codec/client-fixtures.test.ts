// Request frames captured from real clients (kcat/librdkafka, kafkajs, kafka-python,
// confluent-kafka) by scripts/capture-fixtures/capture.ts. Every frame must decode with our
// declarations and re-encode to the same bytes; the record batches of every Produce frame must
// pass their CRC-32C, carry the compression codec that was asked for, and decode to exactly the
// records the client was told to send (listed in each client's manifest.json).

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeRequest, encodeRequest } from "../../src/codec/frames.ts";
import { apiByKey } from "../../src/messages/index.ts";
import type { ProduceRequest } from "../../src/messages/produce.ts";
import { BatchHeader, compressionFromName, decodeBatch, splitBatches } from "../../src/records/index.ts";

const fixturesDir = new URL("../fixtures/requests/", import.meta.url);

interface ExpectedMessage {
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}

interface ProduceExpectation {
  topic: string;
  partition: number;
  compression: string;
  idempotent: boolean;
  messages: ExpectedMessage[];
}

interface Fixture {
  file: string;
  api: string;
  apiKey: number;
  version: number;
  sha256: string;
  produce?: ProduceExpectation[];
}

interface Manifest {
  client: string;
  fixtures: Fixture[];
}

// --- manifest narrowing: the JSON enters as unknown and is checked field by field -------------

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `${what} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what} is not an array`);
  return value;
}

function text(value: unknown, what: string): string {
  assert.equal(typeof value, "string", `${what} is not a string`);
  return value as string;
}

function nullableText(value: unknown, what: string): string | null {
  return value === null ? null : text(value, what);
}

function integer(value: unknown, what: string): number {
  assert.ok(Number.isInteger(value), `${what} is not an integer`);
  return value as number;
}

function parseMessage(value: unknown, what: string): ExpectedMessage {
  const m = record(value, what);
  return {
    key: nullableText(m.key, `${what}.key`),
    value: nullableText(m.value, `${what}.value`),
    headers: list(m.headers, `${what}.headers`).map((h, i) => {
      const header = record(h, `${what}.headers[${i}]`);
      return { key: text(header.key, "header key"), value: nullableText(header.value, "header value") };
    }),
  };
}

function parseFixture(value: unknown, what: string): Fixture {
  const f = record(value, what);
  const fixture: Fixture = {
    file: text(f.file, `${what}.file`),
    api: text(f.api, `${what}.api`),
    apiKey: integer(f.apiKey, `${what}.apiKey`),
    version: integer(f.version, `${what}.version`),
    sha256: text(f.sha256, `${what}.sha256`),
  };
  if (f.produce !== undefined)
    fixture.produce = list(f.produce, `${what}.produce`).map((p, i) => {
      const e = record(p, `${what}.produce[${i}]`);
      return {
        topic: text(e.topic, "topic"),
        partition: integer(e.partition, "partition"),
        compression: text(e.compression, "compression"),
        idempotent: e.idempotent === true,
        messages: list(e.messages, "messages").map((m, j) =>
          parseMessage(m, `${what}.produce[${i}].messages[${j}]`),
        ),
      };
    });
  return fixture;
}

function loadManifest(client: string): Manifest {
  const json: unknown = JSON.parse(readFileSync(new URL(`${client}/manifest.json`, fixturesDir), "utf8"));
  const m = record(json, `${client}/manifest.json`);
  return {
    client: text(m.client, "client"),
    fixtures: list(m.fixtures, "fixtures").map((f, i) => parseFixture(f, `${client} fixtures[${i}]`)),
  };
}

function loadFrame(client: string, file: string): Buffer {
  const hex = readFileSync(new URL(`${client}/${file}`, fixturesDir), "utf8").replace(/\s+/g, "");
  assert.match(hex, /^(?:[0-9a-f]{2})+$/, `${client}/${file} is not hex`);
  return Buffer.from(hex, "hex");
}

// --- checks ----------------------------------------------------------------------------------

const utf8 = (value: string | null): Buffer | null => (value === null ? null : Buffer.from(value, "utf8"));

/** Decodes, compares with the manifest, re-encodes byte-exact and checks Produce records. */
function checkFixture(fixture: Fixture, frame: Buffer): void {
  const decoded = decodeRequest(frame, apiByKey);
  assert.equal(decoded.api.name, fixture.api);
  assert.equal(decoded.header.apiKey, fixture.apiKey);
  assert.equal(decoded.header.apiVersion, fixture.version);

  const framed = Buffer.concat(encodeRequest(decoded.api, decoded.header, decoded.body));
  assert.equal(framed.readInt32BE(0), frame.length, "size prefix");
  assert.equal(framed.subarray(4).toString("hex"), frame.toString("hex"), "re-encoded bytes differ");

  if (fixture.apiKey !== 0) {
    assert.equal(fixture.produce, undefined, "only Produce fixtures list records");
    return;
  }
  const request = decoded.body as unknown as ProduceRequest;
  const carrying = request.topicData.flatMap((t) =>
    t.partitionData
      .filter((p) => p.records !== null && p.records.length > 0)
      .map((p) => `${t.name}/${p.index}`),
  );
  const expectations = fixture.produce ?? [];
  assert.deepEqual(
    carrying,
    expectations.map((e) => `${e.topic}/${e.partition}`),
    "partitions with records",
  );

  for (const expected of expectations) {
    const records = request.topicData
      .find((t) => t.name === expected.topic)
      ?.partitionData.find((p) => p.index === expected.partition)?.records;
    assert.ok(records, `${expected.topic}/${expected.partition} has no records`);
    const codec = compressionFromName(expected.compression);
    assert.notEqual(codec, null, `unknown codec ${expected.compression}`);
    const split = splitBatches(records);
    assert.equal(split.truncatedTail, null, "records end inside a batch");
    assert.ok(split.batches.length > 0, "no batch");
    const got: {
      key: Buffer | null;
      value: Buffer | null;
      headers: { key: string; value: Buffer | null }[];
    }[] = [];
    for (const span of split.batches) {
      const bytes = records.subarray(span.position, span.position + span.size);
      assert.ok(new BatchHeader(bytes).isCrcValid(), "batch CRC-32C");
      const batch = decodeBatch(bytes);
      assert.equal(batch.magic, 2);
      assert.equal(batch.compression, codec, "compression codec in the attributes");
      assert.equal(batch.recordCount, batch.records.length);
      // An idempotent producer stamps its id, epoch and sequence (KIP-98); others leave them unset.
      if (expected.idempotent) {
        assert.ok(
          batch.producerId >= 0n && batch.producerEpoch >= 0 && batch.baseSequence >= 0,
          "producer state",
        );
      } else {
        assert.equal(batch.producerId, -1n, "producer id of a non-idempotent batch");
      }
      for (const r of batch.records)
        got.push({
          key: r.key,
          value: r.value,
          headers: r.headers.map((h) => ({ key: h.key, value: h.value })),
        });
    }
    const want = expected.messages.map((m) => ({
      key: utf8(m.key),
      value: utf8(m.value),
      headers: m.headers.map((h) => ({ key: h.key, value: utf8(h.value) })),
    }));
    assert.deepEqual(got, want, `records of ${expected.topic}/${expected.partition}`);
  }
}

const clients = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test("fixtures exist for the clients the issue asks for", () => {
  for (const client of ["kcat", "kafkajs", "kafka-python"]) assert.ok(clients.includes(client), client);
});

for (const client of clients) {
  const manifest = loadManifest(client);

  test(`${client}: the manifest lists exactly the fixture files`, () => {
    assert.equal(manifest.client, client);
    const files = readdirSync(new URL(`${client}/`, fixturesDir)).filter((name) => name.endsWith(".hex"));
    assert.deepEqual(manifest.fixtures.map((f) => f.file).sort(), files.sort());
  });

  for (const fixture of manifest.fixtures) {
    test(`${client}: ${fixture.file} decodes and re-encodes byte-exact`, () => {
      const frame = loadFrame(client, fixture.file);
      assert.equal(
        createHash("sha256").update(frame).digest("hex"),
        fixture.sha256,
        "fixture edited since capture",
      );
      checkFixture(fixture, frame);
    });
  }
}

// The required coverage: these requests from each of these clients, and Produce with
// every codec the client offers.
const required: Record<string, { apis: string[]; codecs: string[] }> = {
  kcat: {
    apis: ["ApiVersions", "Metadata", "Produce", "Fetch", "JoinGroup", "OffsetCommit"],
    codecs: ["none", "gzip", "snappy", "lz4", "zstd"],
  },
  kafkajs: {
    apis: ["ApiVersions", "Metadata", "Produce", "Fetch", "JoinGroup", "OffsetCommit"],
    codecs: ["none", "gzip"],
  },
  "kafka-python": {
    apis: ["ApiVersions", "Metadata", "Produce", "Fetch", "JoinGroup", "OffsetCommit"],
    codecs: ["none", "gzip", "snappy", "lz4", "zstd"],
  },
};

for (const [client, want] of Object.entries(required)) {
  test(`${client}: fixtures cover ${want.apis.join(", ")} and Produce with ${want.codecs.join("/")}`, () => {
    const { fixtures } = loadManifest(client);
    const apis = new Set(fixtures.map((f) => f.api));
    for (const api of want.apis) assert.ok(apis.has(api), `no ${api} fixture`);
    const codecs = new Set(fixtures.flatMap((f) => (f.produce ?? []).map((p) => p.compression)));
    assert.deepEqual([...codecs].sort(), [...want.codecs].sort());
  });
}

test("an altered fixture fails: a flipped byte inside a compressed batch breaks its CRC", () => {
  const { fixtures } = loadManifest("kcat");
  const fixture = fixtures.find((f) => f.produce?.some((p) => p.compression === "zstd"));
  assert.ok(fixture);
  const frame = loadFrame("kcat", fixture.file);
  checkFixture(fixture, frame);
  const altered = Buffer.from(frame);
  const last = altered.length - 1;
  altered[last] = (altered[last] as number) ^ 0x01;
  assert.throws(() => checkFixture(fixture, altered));
});
