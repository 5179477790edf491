// The kafkajs consume-transform-produce processor, run as a child process (node kjs-txn-processor.ts
// '<json options>') so a test can SIGKILL it. Same options and stdout events as
// py-txn-client.py's "process": reads `input` (kafkajs consumers read committed by default) in
// group `group`, writes "out:{value}" to the same partition of `output` and commits the offsets in
// the transaction (transaction.sendOffsets), `batch` messages per transaction; transaction
// `pauseAt` sends its output and offsets, reports {"ev": "paused"} and is never committed.
// "close" on stdin (or EOF) stops it gracefully. A lifetime deadline bounds every run.

import { createInterface } from "node:readline";
import { Kafka, logLevel } from "kafkajs";

interface Options {
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly group: string;
  readonly transactionalId: string;
  readonly batch: number;
  readonly pauseAt?: number;
  readonly sessionTimeoutMs?: number;
}

const lifetimeMs = 150_000;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const kafka = new Kafka({
  brokers: [options.bootstrap],
  clientId: "kjs-txn-processor",
  logLevel: logLevel.NOTHING,
  retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
});
const producer = kafka.producer({
  transactionalId: options.transactionalId,
  idempotent: true,
  maxInFlightRequests: 1,
});
const consumer = kafka.consumer({
  groupId: options.group,
  sessionTimeout: options.sessionTimeoutMs ?? 3000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 200,
});

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
  process.exit(code);
}
setTimeout(() => void stop(3), lifetimeMs).unref();
createInterface({ input: process.stdin }).on("close", () => void stop(0));
consumer.on(consumer.events.CRASH, (event) => {
  emit({ ev: "error", name: event.payload.error.name, str: event.payload.error.message });
});

let txnCount = 0;
await producer.connect();
// kafkajs sends the transactional InitProducerId (which fences an earlier instance and aborts its
// open transaction) at the first transaction(), not at connect(): do it before consuming, as
// confluent-kafka's init_transactions. Aborting a transaction with no partitions sends nothing.
await (await producer.transaction()).abort();
emit({ ev: "ready" });
await consumer.connect();
await consumer.subscribe({ topic: options.input, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning }) => {
    for (let i = 0; i < batch.messages.length && isRunning() && !stopping; i += options.batch) {
      const chunk = batch.messages.slice(i, i + options.batch);
      const last = chunk.at(-1);
      if (!last) break;
      const values = chunk.map((m) => m.value?.toString() ?? "");
      const txn = await producer.transaction();
      try {
        await txn.send({
          topic: options.output,
          acks: -1,
          messages: values.map((v) => ({ partition: batch.partition, value: `out:${v}` })),
        });
        await txn.sendOffsets({
          consumerGroupId: options.group,
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }],
            },
          ],
        });
        if (txnCount === options.pauseAt) {
          emit({ ev: "paused", txn: txnCount, values });
          // Never commits: the test kills this process here.
          await new Promise(() => {});
        }
        await txn.commit();
      } catch (error) {
        const e = error as Error & { type?: string };
        emit({ ev: "error", name: e.type ?? e.name, str: e.message });
        await txn.abort().catch(() => {});
        return stop(2);
      }
      emit({ ev: "committed", txn: txnCount, values });
      txnCount++;
      resolveOffset(last.offset);
      await heartbeat();
    }
  },
});
