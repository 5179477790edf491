// Fuzz: 300 connections of bad input at a running broker — random bytes, real client requests
// (captured from kafkajs through a recording proxy) with bytes flipped or cut short, oversized and
// negative frame sizes, half-closed partial frames and idle connections — while a kafkajs producer
// keeps producing (through a recording proxy the broker advertises); afterwards a normal produce/consume must still work. Every bad connection must
// be closed by the broker (at the latest by connections.max.idle.ms), none may crash it.
// The run is reproducible: NAGARE_FUZZ_SEED=<n> repeats the seed a failure reports.

import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { test } from "node:test";
import { ApiVersions, decodeResponse, encodeRequest, FrameSplitter } from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { requireTool } from "./support/clients.ts";
import { consumeWithKcat, kcat } from "./support/messages.ts";

const idleMs = 1500;
const maxRequestBytes = 1 << 20;

/** mulberry32: a small seeded PRNG so a failing run can be repeated. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RecordingProxy {
  readonly port: number;
  /** Request frames (with their size prefix) seen while recording. */
  readonly frames: Buffer[];
  recording: boolean;
  target: number;
  close(): Promise<void>;
}

/**
 * A transparent TCP proxy that records the request frames clients send through it. The broker
 * advertises the proxy's address, so every connection kafkajs opens passes through it.
 */
async function recordingProxy(): Promise<RecordingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(state.target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    const splitter = new FrameSplitter({ maxFrameBytes: maxRequestBytes });
    client.on("data", (chunk: Buffer) => {
      if (state.recording)
        for (const frame of splitter.push(chunk))
          state.frames.push(Buffer.concat([size(frame.length), frame]));
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no proxy port");
  const state: RecordingProxy = {
    port: address.port,
    frames: [],
    recording: true,
    target: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/** Real kafkajs requests to mutate: admin, metadata, produce (plain and gzip), list offsets. */
async function captureRequests(proxy: RecordingProxy, bootstrap: string): Promise<Buffer[]> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: "seed", logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: "fuzz", numPartitions: 2 }] });
  const producer = kafka.producer();
  await producer.connect();
  for (const compression of [CompressionTypes.None, CompressionTypes.GZIP])
    await producer.send({
      topic: "fuzz",
      compression,
      messages: Array.from({ length: 10 }, (_, i) => ({
        key: `k${i}`,
        value: `seed-${i}`,
        headers: { h: "v" },
      })),
    });
  await admin.fetchTopicOffsets("fuzz");
  await admin.fetchTopicMetadata({ topics: ["fuzz"] });
  await producer.disconnect();
  await admin.disconnect();
  proxy.recording = false;
  // CreateTopics (19) is left out: a flipped partition count is a valid request for millions of
  // partitions, not bad input.
  return proxy.frames.filter((f) => f.readInt16BE(4) !== 19);
}

type Case =
  | "random"
  | "mutated"
  | "truncated"
  | "half-closed"
  | "oversized"
  | "negative"
  | "idle"
  | "pipelined";
const cases: readonly Case[] = [
  "random",
  "mutated",
  "truncated",
  "half-closed",
  "oversized",
  "negative",
  "idle",
  "pipelined",
];

function size(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function badBytes(kind: Case, corpus: readonly Buffer[], random: () => number): Buffer {
  const pick = () => corpus[Math.floor(random() * corpus.length)] as Buffer;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  switch (kind) {
    case "random":
      return bytes(1 + Math.floor(random() * 300));
    case "mutated": {
      const frame = Buffer.from(pick());
      const flips = 1 + Math.floor(random() * 8);
      for (let i = 0; i < flips; i++)
        frame[4 + Math.floor(random() * (frame.length - 4))] = Math.floor(random() * 256);
      return frame;
    }
    case "truncated":
    case "half-closed": {
      const frame = pick();
      return frame.subarray(0, 1 + Math.floor(random() * (frame.length - 1)));
    }
    case "oversized":
      return Buffer.concat([size(maxRequestBytes + 1 + Math.floor(random() * 1e6)), bytes(16)]);
    case "negative":
      return Buffer.concat([size(-1 - Math.floor(random() * 1e6)), bytes(16)]);
    case "idle":
      return Buffer.alloc(0);
    case "pipelined":
      return Buffer.concat([pick(), pick(), bytes(8 + Math.floor(random() * 64))]);
  }
}

/** Sends one bad connection's bytes; resolves with how long the broker took to close it. */
async function badConnection(port: number, kind: Case, data: Buffer): Promise<number> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  socket.on("data", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const start = performance.now();
  if (data.length > 0) socket.write(data);
  if (kind === "half-closed") socket.end();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      closed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${kind}: still open after ${idleMs + 3000} ms`)),
          idleMs + 3000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
  return performance.now() - start;
}

test("300 connections of bad input: each is closed, the broker keeps serving everyone", async (t) => {
  requireTool(kcat, "kcat");
  const proxy = await recordingProxy();
  t.after(() => proxy.close());
  const broker = await startBroker({
    config: {
      "advertised.listeners": `PLAINTEXT://127.0.0.1:${proxy.port}`,
      "connections.max.idle.ms": String(idleMs),
      "socket.request.max.bytes": String(maxRequestBytes),
      "num.partitions": "2",
    },
  });
  t.after(() => broker.stop());
  proxy.target = broker.port;
  const corpus = await captureRequests(proxy, `127.0.0.1:${proxy.port}`);
  assert.ok(corpus.length >= 5, `captured ${corpus.length} request frames`);

  const seed = Number(process.env.NAGARE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = prng(seed);
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "steady", logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());

  // A well-behaved producer keeps working while the fuzz runs.
  let stop = false;
  let steadySent = 0;
  const steady = (async () => {
    for (let round = 0; round < 200 && !stop; round++) {
      await producer.send({ topic: "steady", messages: [{ key: `s${round}`, value: `steady-${round}` }] });
      steadySent++;
    }
  })();

  const slow: string[] = [];
  try {
    for (let wave = 0; wave < 3; wave++) {
      const planned = Array.from({ length: 100 }, () => {
        const kind = cases[Math.floor(random() * cases.length)] as Case;
        return { kind, data: badBytes(kind, corpus, random) };
      });
      const times = await Promise.all(planned.map((p) => badConnection(broker.port, p.kind, p.data)));
      planned.forEach((p, i) => {
        // Frames the broker can reject from their size alone are closed at once, not by the idle timer.
        if ((p.kind === "oversized" || p.kind === "negative") && (times[i] as number) > idleMs / 2)
          slow.push(`${p.kind} took ${Math.round(times[i] as number)} ms`);
      });
    }
  } catch (error) {
    throw new Error(`fuzz failed (NAGARE_FUZZ_SEED=${seed}): ${String(error)}`);
  } finally {
    stop = true;
    await steady;
  }
  assert.deepEqual(slow, [], `NAGARE_FUZZ_SEED=${seed}`);
  assert.ok(steadySent > 0, "the steady producer made progress during the fuzz");

  // Afterwards: ApiVersions on a fresh connection, a normal produce and a consume.
  const raw = connect(broker.port, "127.0.0.1");
  t.after(() => raw.destroy());
  const splitter = new FrameSplitter({ maxFrameBytes: maxRequestBytes });
  const answer = new Promise<Buffer>((resolve) =>
    raw.on("data", (chunk: Buffer) => {
      const [frame] = splitter.push(chunk);
      if (frame) resolve(frame);
    }),
  );
  raw.write(
    Buffer.concat(encodeRequest(ApiVersions, { apiVersion: 3, correlationId: 42, clientId: "after" }, {})),
  );
  assert.equal(decodeResponse(ApiVersions, 3, await answer).header.correlationId, 42);

  const after = await producer.send({
    topic: "steady",
    messages: Array.from({ length: 100 }, (_, i) => ({ key: `a${i}`, value: `after-${i}` })),
  });
  assert.ok(after.every((r) => r.errorCode === 0));
  const messages = await consumeWithKcat(broker.bootstrap, "steady");
  assert.equal(messages.length, steadySent + 100, `NAGARE_FUZZ_SEED=${seed}`);
  const seedTopic = await consumeWithKcat(broker.bootstrap, "fuzz");
  assert.ok(
    seedTopic.filter((m) => m.value?.startsWith("seed-")).length >= 20,
    "the seed messages are intact",
  );
});
