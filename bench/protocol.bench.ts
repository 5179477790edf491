// Protocol benchmarks: decode/encode throughput of a Produce request carrying 1 MiB of record
// batches and of a Fetch response carrying 1 MiB, and CRC-32C throughput (native and the pure-TS
// fallback). Each figure is compared with a plain copy of the same bytes, the floor any codec
// that touches the payload would pay. Every loop is bounded in iterations and time.
//
//   npm run bench            (node bench/protocol.bench.ts)

import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from "../packages/protocol/src/index.ts";
import { apiByKey, Fetch, Produce } from "../packages/protocol/src/messages/index.ts";
import { crc32cNative, crc32cSoftware } from "../packages/protocol/src/records/crc32c.ts";

const MiB = 1024 * 1024;
const maxIterations = 20_000;
const maxMillis = 1500;

interface Result {
  name: string;
  opsPerSec: number;
  mibPerSec: number;
}

function measure(name: string, bytesPerOp: number, op: () => unknown): Result {
  for (let i = 0; i < 50; i++) op(); // warm up: compile codecs, let the JIT settle
  let iterations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(maxMillis) * 1_000_000n;
  let now = start;
  while (iterations < maxIterations && now < deadline) {
    op();
    iterations++;
    if ((iterations & 7) === 0) now = process.hrtime.bigint();
  }
  now = process.hrtime.bigint();
  const seconds = Number(now - start) / 1e9;
  return { name, opsPerSec: iterations / seconds, mibPerSec: (iterations * bytesPerOp) / MiB / seconds };
}

function batches(partitions: number, bytesPerPartition: number): Buffer[] {
  return Array.from({ length: partitions }, (_, i) => Buffer.alloc(bytesPerPartition, i));
}

function produceRequest(version: number, partitions: number): Buffer {
  const records = batches(partitions, MiB / partitions);
  const frame = Buffer.concat(
    encodeRequest(
      Produce,
      { apiVersion: version, correlationId: 1, clientId: "bench" },
      {
        acks: -1,
        timeoutMs: 30000,
        topicData: [
          {
            name: "bench-topic",
            partitionData: records.map((r, index) => ({ index, records: r })),
          },
        ],
      },
    ),
  );
  return frame.subarray(4);
}

function fetchResponseBody(version: number, partitions: number) {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: "bench-topic",
        partitions: batches(partitions, MiB / partitions).map((records, partitionIndex) => ({
          partitionIndex,
          errorCode: 0,
          highWatermark: 1000n,
          lastStableOffset: 1000n,
          logStartOffset: 0n,
          abortedTransactions: version >= 4 ? [] : null,
          preferredReadReplica: -1,
          records,
        })),
      },
    ],
  };
}

const results: Result[] = [];
const payload = Buffer.alloc(MiB, 7);
results.push(measure("baseline: copy 1 MiB (Buffer.from)", MiB, () => Buffer.from(payload)));

// Record sets are referenced, not copied, by both decoder and encoder: the MiB/s columns are the
// payload a codec can carry per second, bounded by per-field work. 16 partitions of 64 KiB is
// a typical producer batch; 256 partitions of 4 KiB stresses the per-field cost.
for (const partitions of [16, 256]) {
  const shape = `1 MiB in ${partitions} partitions`;
  for (const version of [7, 9]) {
    const frame = produceRequest(version, partitions);
    results.push(
      measure(`Produce v${version} request decode (${shape})`, MiB, () => decodeRequest(frame, apiByKey)),
    );
    const decoded = decodeRequest(frame, apiByKey);
    const header = { apiVersion: version, correlationId: 1, clientId: "bench" };
    results.push(
      measure(`Produce v${version} request encode (${shape})`, MiB, () =>
        encodeRequest(Produce, header, decoded.body),
      ),
    );
  }
  for (const version of [11, 12]) {
    const body = fetchResponseBody(version, partitions);
    results.push(
      measure(`Fetch v${version} response encode (${shape})`, MiB, () =>
        encodeResponse(Fetch, version, { correlationId: 1 }, body),
      ),
    );
    results.push(
      measure(`Fetch v${version} response encode + flatten to one Buffer (${shape})`, MiB, () =>
        Buffer.concat(encodeResponse(Fetch, version, { correlationId: 1 }, body)),
      ),
    );
    const frame = Buffer.concat(encodeResponse(Fetch, version, { correlationId: 1 }, body)).subarray(4);
    results.push(
      measure(`Fetch v${version} response decode (${shape})`, MiB, () =>
        decodeResponse(Fetch, version, frame),
      ),
    );
  }
}

const crcInput = Buffer.alloc(MiB);
for (let i = 0; i < crcInput.length; i++) crcInput[i] = (i * 2654435761) >>> 24;
if (crc32cNative)
  results.push(measure("CRC-32C native (@node-rs/crc32), 1 MiB", MiB, () => crc32cNative?.(crcInput)));
results.push(measure("CRC-32C pure-TS fallback (slice-by-8), 1 MiB", MiB, () => crc32cSoftware(crcInput)));

const width = Math.max(...results.map((r) => r.name.length));
console.log(
  `Node ${process.version}, ${process.arch}; bounded at ${maxIterations} iterations or ${maxMillis} ms each`,
);
console.log(`${"benchmark".padEnd(width)}  ${"ops/s".padStart(10)}  ${"MiB/s".padStart(10)}`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(width)}  ${r.opsPerSec.toFixed(0).padStart(10)}  ${r.mibPerSec.toFixed(0).padStart(10)}`,
  );
}
const baseline = results[0] as Result;
console.log(`\nrelative to the 1 MiB copy baseline (${baseline.mibPerSec.toFixed(0)} MiB/s):`);
for (const r of results.slice(1))
  console.log(`  ${r.name}: ${(r.mibPerSec / baseline.mibPerSec).toFixed(1)}x`);
