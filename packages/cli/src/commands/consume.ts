// `nagare consume` — kafka-console-consumer.sh: prints one value per line by default; --property
// print.key=true etc. add fields (Kafka's names), --format json prints every field as JSON,
// --format hex the raw bytes. Without --group it reads by partition assignment (no offsets are
// committed); with --group it joins the group and commits what it printed.

import { bytes, Consumer, type ConsumerRecord, type TopicPartition } from "@nagare/client";
import { Command } from "commander";
import {
  bootstrapOption,
  brokersOf,
  integer,
  keyValue,
  runProgram,
  UsageError,
  withAdmin,
} from "./common.ts";

interface Options {
  bootstrapServer: string;
  topic: string;
  group?: string;
  fromBeginning?: boolean;
  partition?: number;
  offset?: string;
  maxMessages?: number;
  timeoutMs?: number;
  format: string;
  property?: [string, string][];
  isolationLevel?: string;
}

type Raw = ConsumerRecord<Buffer | null, Buffer | null>;

interface PrintOptions {
  readonly key: boolean;
  readonly timestamp: boolean;
  readonly partition: boolean;
  readonly offset: boolean;
  readonly headers: boolean;
  readonly keySeparator: string;
}

function printOptions(o: Options): PrintOptions {
  const props = new Map(o.property ?? []);
  const known = [
    "print.key",
    "print.timestamp",
    "print.partition",
    "print.offset",
    "print.headers",
    "key.separator",
  ];
  for (const key of props.keys())
    if (!known.includes(key))
      throw new UsageError(`unknown --property "${key}" (known: ${known.join(", ")})`);
  const on = (name: string) => props.get(name) === "true";
  return {
    key: on("print.key"),
    timestamp: on("print.timestamp"),
    partition: on("print.partition"),
    offset: on("print.offset"),
    headers: on("print.headers"),
    keySeparator: props.get("key.separator") ?? "\t",
  };
}

const text = (b: Buffer | null) => (b === null ? "null" : b.toString("utf8"));

export function formatRecord(r: Raw, format: string, print: PrintOptions): string {
  if (format === "json")
    return JSON.stringify({
      topic: r.topic,
      partition: r.partition,
      offset: Number(r.offset),
      timestamp: r.timestamp,
      timestampType: r.timestampType,
      key: r.key === null ? null : r.key.toString("utf8"),
      value: r.value === null ? null : r.value.toString("utf8"),
      headers: Object.fromEntries(
        r.headers.map((h) => [h.key, h.value === null ? null : h.value.toString("utf8")]),
      ),
    });
  const render = format === "hex" ? (b: Buffer | null) => (b === null ? "null" : b.toString("hex")) : text;
  const fields: string[] = [];
  if (print.timestamp) fields.push(`${r.timestampType}:${r.timestamp}`);
  if (print.partition) fields.push(`Partition:${r.partition}`);
  if (print.offset) fields.push(`Offset:${r.offset}`);
  if (print.headers)
    fields.push(
      r.headers.length === 0 ? "NO_HEADERS" : r.headers.map((h) => `${h.key}:${text(h.value)}`).join(","),
    );
  if (print.key) fields.push(render(r.key));
  fields.push(render(r.value));
  return fields.join(print.keySeparator);
}

async function partitionsOf(
  bootstrap: string,
  topic: string,
  only: number | undefined,
): Promise<TopicPartition[]> {
  return withAdmin(bootstrap, async (admin) => {
    const [described] = await admin.describeTopics([topic]);
    const all = (described?.partitions ?? []).map((p) => ({ topic, partition: p.partition }));
    if (only === undefined) return all;
    if (!all.some((p) => p.partition === only))
      throw new UsageError(`topic ${topic} has no partition ${only}`);
    return [{ topic, partition: only }];
  });
}

async function consume(o: Options): Promise<void> {
  if (!["text", "json", "hex"].includes(o.format))
    throw new UsageError(`--format must be text, json or hex, got "${o.format}"`);
  if (o.offset !== undefined && o.partition === undefined) throw new UsageError("--offset needs --partition");
  if (
    o.isolationLevel !== undefined &&
    o.isolationLevel !== "read_committed" &&
    o.isolationLevel !== "read_uncommitted"
  )
    throw new UsageError("--isolation-level must be read_committed or read_uncommitted");
  const print = printOptions(o);
  const consumer = new Consumer<Buffer | null, Buffer | null>({
    brokers: brokersOf(o.bootstrapServer),
    clientId: "nagare-console-consumer",
    ...(o.group !== undefined ? { groupId: o.group } : {}),
    keyDeserializer: bytes,
    valueDeserializer: bytes,
    autoOffsetReset: o.fromBeginning ? "earliest" : "latest",
    isolationLevel: o.isolationLevel === "read_committed" ? "read_committed" : "read_uncommitted",
  });
  await consumer.connect();
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => void consumer.close();
  const armTimeout = () => {
    if (o.timeoutMs === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(stop, o.timeoutMs);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    if (o.group !== undefined && o.partition === undefined) consumer.subscribe([o.topic]);
    else {
      const partitions = await partitionsOf(o.bootstrapServer, o.topic, o.partition);
      consumer.assign(partitions);
      if (o.offset === "earliest" || (o.offset === undefined && o.fromBeginning))
        consumer.seekToBeginning(partitions);
      else if (o.offset === "latest" || o.offset === undefined) consumer.seekToEnd(partitions);
      else if (/^\d+$/.test(o.offset)) for (const p of partitions) consumer.seek(p, BigInt(o.offset));
      else throw new UsageError(`--offset must be a number, earliest or latest, got "${o.offset}"`);
    }
    armTimeout();
    for await (const record of consumer) {
      process.stdout.write(`${formatRecord(record, o.format, print)}\n`);
      count++;
      armTimeout();
      if (o.maxMessages !== undefined && count >= o.maxMessages) break;
    }
  } finally {
    clearTimeout(timer);
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await consumer.close();
    process.stderr.write(`Processed a total of ${count} messages\n`);
  }
}

function program(): Command {
  return new Command("consume")
    .description("print the messages of a topic, one per line")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic to read")
    .option("--group <id>", "consume as a member of this group (offsets are committed)")
    .option("--from-beginning", "start at the earliest offset when there is no committed one")
    .option("--partition <n>", "read only this partition", integer)
    .option("--offset <offset>", "with --partition: a number, earliest or latest")
    .option("--max-messages <n>", "exit after this many messages", integer)
    .option("--timeout-ms <ms>", "exit when no message arrived for this long", integer)
    .option("--format <format>", "text, json (every field) or hex", "text")
    .option(
      "--property <key=value>",
      "print.key, print.timestamp, print.partition, print.offset, print.headers, key.separator",
      keyValue,
    )
    .option("--isolation-level <level>", "read_uncommitted (default) or read_committed")
    .action(consume);
}

export function runConsume(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "consume");
}
