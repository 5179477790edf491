// Child process of crash.test.ts: opens a LogManager on `<dataDir>` (recovering it when the last
// run was killed), then appends batches to partition crash-0 in durable mode (flush.messages=1)
// from several concurrent writers, printing one JSON line per acknowledged batch. The parent kills
// it with SIGKILL at a random moment.
//
// usage: node append-child.ts <dataDir> <round>
// stdout: {"type":"ready",...} once, then {"type":"ack",...} per acknowledged batch.

import { encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../../src/log-config.ts";
import { LogManager } from "../../src/log-manager.ts";
import { stderrLogger } from "../../src/storage-logger.ts";

const [dataDir, roundText] = process.argv.slice(2);
if (dataDir === undefined || roundText === undefined)
  throw new Error("usage: append-child.ts <dataDir> <round>");
const round = Number(roundText);
const writers = 4;
/** A guard in case the parent never kills us: stop after this long or this many batches. */
const maxRunMs = 30_000;
const maxBatches = 200_000;

const config = parseLogConfig({
  "flush.messages": "1",
  "segment.bytes": "65536",
  "index.interval.bytes": "1024",
});
const manager = await LogManager.open({
  logDirs: [dataDir],
  defaultConfig: config,
  logger: stderrLogger(),
  intervals: { checkpointMs: 50 },
});
const log = manager.getLog("crash", 0) ?? (await manager.createLog("crash", 0));
const report = manager.recoveryReports.find((r) => r.topic === "crash");
process.stdout.write(
  `${JSON.stringify({
    type: "ready",
    logEndOffset: log.logEndOffset.toString(),
    truncatedBytes: report?.truncatedBytes ?? 0,
    recoveredSegments: report?.segments.length ?? 0,
  })}\n`,
);

function next(limit: number): number {
  return Math.floor(Math.random() * limit);
}

const started = Date.now();
let batches = 0;
async function writer(id: number): Promise<void> {
  for (let seq = 0; batches < maxBatches && Date.now() - started < maxRunMs; seq++) {
    batches++;
    const count = 1 + next(20);
    const size = 10 + next(500);
    const records = Array.from({ length: count }, (_, i) => ({
      key: `w${id}`,
      value: `${round}:${id}:${seq}:${i}`.padEnd(size, "."),
      timestamp: BigInt(Date.now()),
    }));
    const result = await log.append(encodeMessages(records));
    process.stdout.write(
      `${JSON.stringify({
        type: "ack",
        first: result.firstOffset.toString(),
        last: result.lastOffset.toString(),
        round,
        writer: id,
        seq,
        count,
      })}\n`,
    );
  }
}

await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
await manager.close();
