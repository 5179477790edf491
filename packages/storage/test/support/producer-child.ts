// Child process of producer-crash.test.ts: opens a LogManager on `<dataDir>` (recovering it after
// the previous child was killed), then writes idempotent and transactional batches from three
// producers to partition txn-0, with commit and abort markers, until the parent kills it (SIGKILL).
// Small segments make it roll (and snapshot) often.
//
// usage: node producer-child.ts <dataDir>
// stdout: {"type":"ready"} once the log is open.

import { ControlRecordType, encodeEndTxnMarkerBatch, encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../../src/log-config.ts";
import { LogManager } from "../../src/log-manager.ts";
import { stderrLogger } from "../../src/storage-logger.ts";

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error("usage: producer-child.ts <dataDir>");
const maxRunMs = 30_000;

const manager = await LogManager.open({
  logDirs: [dataDir],
  defaultConfig: parseLogConfig({ "segment.bytes": "4096", "index.interval.bytes": "512" }),
  logger: stderrLogger(),
  intervals: { checkpointMs: 20 },
});
const log = manager.getLog("txn", 0) ?? (await manager.createLog("txn", 0));
process.stdout.write(`${JSON.stringify({ type: "ready" })}\n`);

const started = Date.now();
for (let round = 0; Date.now() - started < maxRunMs; round++) {
  for (const producerId of [1n, 2n, 3n]) {
    const known = log.producers().find((p) => p.producerId === producerId);
    const epoch = known?.producerEpoch ?? 0;
    const seq = known ? known.lastSequence + 1 : 0;
    const transactional = producerId !== 3n;
    const count = 1 + Math.floor(Math.random() * 5);
    const timestamp = BigInt(Date.now());
    await log.append(
      encodeMessages(
        Array.from({ length: count }, (_, i) => ({ value: `${round}:${i}`.padEnd(40, "."), timestamp })),
        { producerId, producerEpoch: epoch, baseSequence: seq, isTransactional: transactional },
      ),
    );
    if (transactional && Math.random() < 0.3)
      await log.append(
        encodeEndTxnMarkerBatch({
          type: Math.random() < 0.5 ? ControlRecordType.ABORT : ControlRecordType.COMMIT,
          producerId,
          producerEpoch: epoch,
          coordinatorEpoch: 0,
          timestamp,
        }),
        { origin: "coordinator" },
      );
  }
}
await manager.close();
