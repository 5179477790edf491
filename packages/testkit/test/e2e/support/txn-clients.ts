// Idempotent and transactional clients for the transaction end-to-end tests: confluent-kafka
// (py-txn-client.py in child processes: a producer scripted command by command, a
// read_committed/read_uncommitted reader, a consume-transform-produce processor), the kafkajs
// processor (kjs-txn-processor.ts, a child so it can be SIGKILLed), kafkajs transactional
// producers in process, and raw ListOffsets for the last stable offset. Children are killed by PID.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DescribeTransactions, ErrorCode, ListOffsets } from "@nagare/protocol";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { debianPython, run } from "./clients.ts";
import type { Defer } from "./group-clients.ts";
import { LineChild } from "./line-child.ts";
import { request } from "./raw-request.ts";

export const pyTxnClient = fileURLToPath(new URL("./py-txn-client.py", import.meta.url));
export const kjsTxnProcessor = fileURLToPath(new URL("./kjs-txn-processor.ts", import.meta.url));

export type Isolation = "read_committed" | "read_uncommitted";

/** One message read back. */
export interface Read {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string | null;
}

export interface ReadResult {
  readonly messages: readonly Read[];
  /** Where each `topic:partition` reported its end (the LSO under read_committed, else the HW). */
  readonly eof: ReadonlyMap<string, number>;
}

/** Reads whole partitions (`topic:partitions` specs) with confluent-kafka at one isolation level. */
export async function readTopics(
  bootstrap: string,
  isolation: Isolation,
  specs: readonly string[],
): Promise<ReadResult> {
  const result = await run(debianPython, [pyTxnClient, "consume", bootstrap, isolation, ...specs], {
    timeoutMs: 90_000,
  });
  assert.equal(result.code, 0, `confluent-kafka ${isolation} reader\n${result.stderr}`);
  const messages: Read[] = [];
  let eof = new Map<string, number>();
  for (const line of result.stdout.split("\n")) {
    if (line.trim() === "") continue;
    const m = JSON.parse(line) as {
      t?: string;
      p?: number;
      o?: number;
      v?: string | null;
      eof?: Record<string, number>;
    };
    if (m.eof) eof = new Map(Object.entries(m.eof));
    else messages.push({ topic: m.t ?? "", partition: m.p ?? -1, offset: m.o ?? -1, value: m.v ?? null });
  }
  return { messages, eof };
}

/** The values read, per `topic:partition` (`keys` listed even when empty), in offset order. */
export function valuesByPartition(
  messages: readonly Read[],
  keys: Iterable<string> = [],
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const key of keys) result.set(key, []);
  for (const m of [...messages].sort((a, b) => a.offset - b.offset)) {
    const key = `${m.topic}:${m.partition}`;
    const list = result.get(key) ?? [];
    list.push(m.value ?? "");
    result.set(key, list);
  }
  return new Map([...result].sort(([a], [b]) => a.localeCompare(b)));
}

/** ListOffsets (v2+, raw) for the latest offset: the LSO under read_committed, else the HW. */
export async function latestOffset(
  port: number,
  topic: string,
  partition: number,
  isolation: Isolation,
): Promise<number> {
  const response = await request(port, ListOffsets, 5, {
    replicaId: -1,
    isolationLevel: isolation === "read_committed" ? 1 : 0,
    topics: [
      { name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -1n }] },
    ],
  });
  const answer = response.topics[0]?.partitions[0];
  assert.equal(answer?.errorCode, ErrorCode.NONE, `ListOffsets ${topic}:${partition} ${isolation}`);
  return Number(answer?.offset);
}

/** For failure messages: LSO/HW per partition and each transactional id's state and partitions. */
export async function txnSnapshot(
  port: number,
  partitions: readonly { readonly t: string; readonly p: number }[],
  transactionalIds: readonly string[],
): Promise<string> {
  const offsets: string[] = [];
  for (const { t, p } of partitions)
    offsets.push(
      `${t}:${p} LSO ${await latestOffset(port, t, p, "read_committed")} HW ${await latestOffset(port, t, p, "read_uncommitted")}`,
    );
  const described = await request(port, DescribeTransactions, 0, { transactionalIds: [...transactionalIds] });
  const states = described.transactionStates.map(
    (s) =>
      `${s.transactionalId}: ${s.errorCode === ErrorCode.NONE ? s.transactionState : `error ${s.errorCode}`} ` +
      `pid ${s.producerId} epoch ${s.producerEpoch} ${JSON.stringify(s.topics)}`,
  );
  return [...offsets, ...states].join("\n");
}

export interface TxnReply {
  readonly ok: boolean;
  /** KafkaError name (e.g. "_FENCED", "PRODUCER_FENCED") when not ok. */
  readonly name?: string;
  readonly fatal?: boolean;
  readonly abortable?: boolean;
  readonly retriable?: boolean;
  readonly str?: string;
  /** "send": the offset of each message (null where its delivery failed). */
  readonly offsets?: readonly (number | null)[];
  readonly errors?: readonly { i: number; name: string; str: string }[];
}

export interface PyTxnProducerOptions {
  readonly transactionalId: string;
  readonly transactionTimeoutMs?: number;
  readonly clientId?: string;
}

/** A confluent-kafka transactional producer in a child process, driven one command at a time. */
export class PyTxnProducer {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly lines: string[] = [];
  private partial = "";
  private stderr = "";
  readonly name: string;

  constructor(defer: Defer, bootstrap: string, options: PyTxnProducerOptions) {
    this.name = `confluent-kafka/${options.transactionalId}`;
    this.child = spawn(debianPython, [pyTxnClient, "producer", JSON.stringify({ bootstrap, ...options })], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.exited = new Promise((resolve) => this.child.once("close", () => resolve()));
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim() === "") continue;
        const waiter = this.waiting.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-64 * 1024);
    });
    this.child.stdin?.on("error", () => {});
    defer(() => this.kill());
  }

  /** Sends one command and waits (bounded) for its reply. */
  async command(op: Record<string, unknown>, timeoutMs = 45_000): Promise<TxnReply> {
    const line = new Promise<string>((resolve) => {
      const queued = this.lines.shift();
      if (queued !== undefined) resolve(queued);
      else this.waiting.push(resolve);
    });
    this.child.stdin?.write(`${JSON.stringify(op)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`${this.name}: no reply to ${JSON.stringify(op)} in ${timeoutMs} ms\n${this.log()}`),
          ),
        timeoutMs,
      );
    });
    const exit = this.exited.then(() => {
      throw new Error(`${this.name} exited before replying to ${JSON.stringify(op)}\n${this.log()}`);
    });
    try {
      return JSON.parse(await Promise.race([line, timeout, exit])) as TxnReply;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A command that must succeed. */
  async ok(op: Record<string, unknown>): Promise<TxnReply> {
    const reply = await this.command(op);
    assert.equal(
      reply.ok,
      true,
      `${this.name} ${JSON.stringify(op).slice(0, 200)}: ${JSON.stringify(reply)}\n${this.log()}`,
    );
    return reply;
  }

  init = () => this.ok({ op: "init" });
  begin = () => this.ok({ op: "begin" });
  commit = () => this.ok({ op: "commit" });
  abort = () => this.ok({ op: "abort" });

  /** Sends and flushes `values` to topic/partition pairs; returns each message's offset. */
  async send(messages: readonly { t: string; p: number; v: string }[]): Promise<number[]> {
    const reply = await this.ok({ op: "send", messages });
    return (reply.offsets ?? []).map((o) => o ?? -1);
  }

  /** SIGKILL (a crash: nothing more is sent). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }

  log(): string {
    return `--- ${this.name} (pid ${this.child.pid}) stderr ---\n${this.stderr}`;
  }
}

/** What a processor reported. */
export interface ProcessorEvents {
  readonly committed: string[][];
  paused: string[] | undefined;
  readonly errors: string[];
  ready: boolean;
}

export interface ProcessorOptions {
  readonly input: string;
  readonly output: string;
  readonly group: string;
  readonly transactionalId: string;
  readonly batch: number;
  /** The transaction (0-based) that sends its output and offsets and then never commits. */
  readonly pauseAt?: number;
}

/** A consume-transform-produce processor child: confluent-kafka (python) or kafkajs (node). */
export class Processor {
  readonly events: ProcessorEvents = { committed: [], paused: undefined, errors: [], ready: false };
  private readonly process: LineChild;
  readonly name: string;

  constructor(
    defer: Defer,
    client: "confluent-kafka" | "kafkajs",
    bootstrap: string,
    options: ProcessorOptions,
  ) {
    this.name = `${client} processor`;
    const json = JSON.stringify({ bootstrap, ...options });
    const [command, args] =
      client === "confluent-kafka"
        ? [debianPython, [pyTxnClient, "process", json]]
        : [process.execPath, [kjsTxnProcessor, json]];
    this.process = new LineChild(command, args, (line) => this.onLine(line));
    defer(() => this.kill());
  }

  private onLine(line: string): void {
    const event = JSON.parse(line) as { ev: string; values?: string[]; name?: string; str?: string };
    if (event.ev === "ready") this.events.ready = true;
    else if (event.ev === "committed") this.events.committed.push(event.values ?? []);
    else if (event.ev === "paused") this.events.paused = event.values ?? [];
    else if (event.ev === "error") this.events.errors.push(`${event.name}: ${event.str}`);
  }

  /** Every value whose transaction committed, in order. */
  committedValues(): string[] {
    return this.events.committed.flat();
  }

  /** Asks it to stop and waits (bounded) for exit code 0. */
  close(timeoutMs = 20_000): Promise<void> {
    const request = () => this.process.child.stdin?.end("close\n");
    return this.process.close(this.name, request, timeoutMs, () => this.log());
  }

  /** SIGKILL by PID: a crash in the middle of whatever it was doing. */
  kill(): Promise<void> {
    return this.process.kill();
  }

  log(): string {
    return `--- ${this.name} (pid ${this.process.pid}) events ${JSON.stringify(this.events)}\nstderr:\n${this.process.stderr}`;
  }
}

/** A connected kafkajs transactional producer (idempotent, one request in flight). */
export async function kafkajsTxnProducer(
  defer: Defer,
  bootstrap: string,
  transactionalId: string,
): Promise<Producer> {
  const kafka = new Kafka({
    brokers: [bootstrap],
    clientId: `kafkajs-${transactionalId}`,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  defer(() => producer.disconnect());
  return producer;
}

/** The Kafka error type (e.g. "INVALID_PRODUCER_EPOCH") of a kafkajs error or of one it wraps. */
export function kafkajsErrorType(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const typed = e as Error & { type?: string; originalError?: unknown; cause?: unknown };
    if (typeof typed.type === "string") return typed.type;
    e = typed.originalError ?? typed.cause;
  }
  return undefined;
}
