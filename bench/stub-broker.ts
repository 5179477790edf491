// A minimal Kafka "broker" for the broker bench's load-generator ceilings (broker.bench.ts): one
// node, one partition per topic, nothing stored. It answers ApiVersions, Metadata, ListOffsets,
// Produce and Fetch with @nagare/protocol, so kcat runs against it exactly as against Nagare, and
// what kcat reaches here is kcat's own ceiling (plus the framing and codec work any Node broker
// pays), not the broker's:
//
// - `discard`: Produce is answered at once; each partition's offsets advance by the batches'
//   record counts (from the batch headers), the bytes are dropped;
// - `replay <file> <records>`: Fetch at offset X answers the whole batches of <file> (a topic's
//   real batches as Nagare returned them) with base offsets rebased onto X, up to a high
//   watermark of <records>; the bytes are prepared once, and a copy is patched again only after the
//   socket took the previous response that used it (no per-fetch allocation or copy).
//
// Prints its port on stdout; exits on SIGTERM. Any other API closes the connection (stderr says
// which).
//
//   node bench/stub-broker.ts discard | replay <file> <records>

import { readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import {
  type ApiDecl,
  ApiVersions,
  decodeRequest,
  encodeResponse,
  Fetch,
  type FetchRequest,
  FrameSplitter,
  ListOffsets,
  type ListOffsetsRequest,
  Metadata,
  type MetadataRequest,
  Produce,
  type ProduceRequest,
  peekRequestHeader,
} from "../packages/protocol/src/index.ts";
import { BatchHeader, splitBatches } from "../packages/protocol/src/records/index.ts";

const [mode, file, records] = process.argv.slice(2);
if (mode !== "discard" && mode !== "replay")
  throw new Error("usage: stub-broker.ts discard | replay <file> <n>");

/** Advertised like Nagare's registry does for these APIs, so kcat picks the same versions. */
const served: readonly { api: ApiDecl; min: number; max: number }[] = [
  { api: Produce, min: 0, max: 11 },
  { api: Fetch, min: 0, max: 12 },
  { api: ListOffsets, min: 0, max: 9 },
  { api: Metadata, min: 0, max: 12 },
  { api: ApiVersions, min: 0, max: 4 },
];
const byKey = new Map(served.map((s) => [s.api.apiKey, s.api]));
const endOffsets = new Map<string, bigint>();
const zeroUuid = "00000000-0000-0000-0000-000000000000";

/** Replay: the prepared bytes, several copies so one can be patched while another is in flight. */
const replay = mode === "replay" ? prepareReplay(file as string, BigInt(records as string)) : undefined;

function prepareReplay(path: string, highWatermark: bigint) {
  const bytes = readFileSync(path);
  const spans = splitBatches(bytes).batches;
  const first = new BatchHeader(bytes, 0).baseOffset;
  const deltas = spans.map((s) => new BatchHeader(bytes, s.position).baseOffset - first);
  const copies = Array.from({ length: 4 }, () => ({ bytes: Buffer.from(bytes), busy: false }));
  return { spans, deltas, copies, highWatermark };
}

/** The batches rebased onto `offset`: base offsets sit outside the CRC, so only they change. */
function replayFrom(offset: bigint): { records: Buffer; release: () => void } {
  const r = replay as NonNullable<typeof replay>;
  let copy = r.copies.find((c) => !c.busy);
  if (!copy) {
    copy = { bytes: Buffer.from(r.copies[0]?.bytes as Buffer), busy: false };
    r.copies.push(copy);
  }
  const target = copy;
  target.busy = true;
  for (let i = 0; i < r.spans.length; i++) {
    const span = r.spans[i] as { position: number };
    new BatchHeader(target.bytes, span.position).baseOffset = offset + (r.deltas[i] as bigint);
  }
  return {
    records: target.bytes,
    release: () => {
      target.busy = false;
    },
  };
}

/** What a request is answered with: framed chunks, and what to do once the socket took them. */
interface Answer {
  readonly chunks: Buffer[];
  readonly release?: () => void;
}

function answer(api: ApiDecl, version: number, frame: Buffer, port: number): Answer | undefined {
  const { header, body } = decodeRequest(frame, () => api);
  const head = { correlationId: header.correlationId };
  if (api === ApiVersions)
    return {
      chunks: encodeResponse(ApiVersions, version, head, {
        errorCode: 0,
        apiKeys: served.map((s) => ({ apiKey: s.api.apiKey, minVersion: s.min, maxVersion: s.max })),
        throttleTimeMs: 0,
      }),
    };
  if (api === Metadata) {
    const wanted = (body as unknown as MetadataRequest).topics ?? [];
    return {
      chunks: encodeResponse(Metadata, version, head, {
        brokers: [{ nodeId: 0, host: "127.0.0.1", port, rack: null }],
        clusterId: "stub",
        controllerId: 0,
        topics: wanted.map((t) => ({
          errorCode: 0,
          name: t.name,
          topicId: zeroUuid,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 0,
              leaderEpoch: -1, // no epoch: the client skips OffsetForLeaderEpoch validation
              replicaNodes: [0],
              isrNodes: [0],
              offlineReplicas: [],
            },
          ],
        })),
      }),
    };
  }
  if (api === ListOffsets) {
    const request = body as unknown as ListOffsetsRequest; // decoded by that API's codec
    return {
      chunks: encodeResponse(ListOffsets, version, head, {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            timestamp: -1n,
            // -1 asks for the end offset, -2 (and any timestamp here) for the start.
            offset: p.timestamp === -1n ? endOffset(t.name, p.partitionIndex) : 0n,
            leaderEpoch: -1,
          })),
        })),
      }),
    };
  }
  if (api === Produce) {
    const request = body as unknown as ProduceRequest; // decoded by that API's codec
    const responses = request.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => {
        const key = `${t.name}:${p.index}`;
        const base = endOffsets.get(key) ?? 0n;
        let count = 0;
        if (p.records)
          for (const span of splitBatches(p.records).batches)
            count += new BatchHeader(p.records, span.position).lastOffsetDelta + 1;
        endOffsets.set(key, base + BigInt(count));
        return { index: p.index, errorCode: 0, baseOffset: base, logAppendTimeMs: -1n, logStartOffset: 0n };
      }),
    }));
    if (request.acks === 0) return undefined;
    return { chunks: encodeResponse(Produce, version, head, { responses, throttleTimeMs: 0 }) };
  }
  const request = body as unknown as FetchRequest; // decoded by that API's codec
  const releases: (() => void)[] = [];
  const responses = request.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const hw = endOffset(t.topic, p.partition);
      let records: Buffer = Buffer.alloc(0);
      if (replay && p.fetchOffset < hw) {
        const r = replayFrom(p.fetchOffset);
        records = r.records;
        releases.push(r.release);
      }
      return {
        partitionIndex: p.partition,
        errorCode: 0,
        highWatermark: hw,
        lastStableOffset: hw,
        logStartOffset: 0n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records,
      };
    }),
  }));
  return {
    chunks: encodeResponse(Fetch, version, head, {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses,
    }),
    release: () => {
      for (const r of releases) r();
    },
  };
}

function endOffset(topic: string, partition: number): bigint {
  return replay ? replay.highWatermark : (endOffsets.get(`${topic}:${partition}`) ?? 0n);
}

function serve(socket: Socket, port: number): void {
  socket.setNoDelay(true);
  const splitter = new FrameSplitter({ maxFrameBytes: 100 * 1024 * 1024 });
  socket.on("error", () => undefined);
  socket.on("data", (chunk: Buffer) => {
    for (const frame of splitter.push(chunk)) {
      const { apiKey, apiVersion } = peekRequestHeader(frame);
      const api = byKey.get(apiKey);
      if (!api) {
        process.stderr.write(`stub broker: api key ${apiKey} not served, closing\n`);
        socket.destroy();
        return;
      }
      const reply = answer(api, apiVersion, frame, port);
      if (!reply) continue;
      const { chunks } = reply;
      socket.cork();
      for (let i = 0; i < chunks.length; i++)
        socket.write(chunks[i] as Buffer, i === chunks.length - 1 ? reply.release : undefined);
      socket.uncork();
    }
  });
}

const server = createServer((socket) => serve(socket, (server.address() as { port: number }).port));
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
