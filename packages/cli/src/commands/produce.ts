// `nagare produce` — kafka-console-producer.sh: one message per line from stdin (or --file).
// Keys with --property parse.key=true (or --key-separator), headers with parse.headers=true
// (Kafka 3.2's console-producer properties) or --header for every message.

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type Acks, type CompressionName, Producer, type RecordHeader } from "@nagare/client";
import { Command } from "commander";
import { bootstrapOption, brokersOf, integer, keyValue, runProgram, UsageError } from "./common.ts";

interface Options {
  bootstrapServer: string;
  topic: string;
  file?: string;
  keySeparator?: string;
  property?: [string, string][];
  header?: [string, string][];
  partition?: number;
  compressionType?: string;
  acks?: string;
  requestRequiredAcks?: string;
  lingerMs?: number;
}

const codecs: readonly CompressionName[] = ["none", "gzip", "snappy", "lz4", "zstd"];

function acksOf(text: string | undefined): Acks {
  if (text === undefined || text === "all" || text === "-1") return "all";
  if (text === "0" || text === "1") return Number(text) as 0 | 1;
  throw new UsageError(`--acks must be 0, 1, all or -1, got "${text}"`);
}

interface LineFormat {
  readonly parseKey: boolean;
  readonly keySeparator: string;
  readonly parseHeaders: boolean;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
}

function lineFormat(o: Options): LineFormat {
  const props = new Map(o.property ?? []);
  const known = [
    "parse.key",
    "key.separator",
    "parse.headers",
    "headers.delimiter",
    "headers.separator",
    "headers.key.separator",
  ];
  for (const key of props.keys())
    if (!known.includes(key))
      throw new UsageError(`unknown --property "${key}" (known: ${known.join(", ")})`);
  return {
    parseKey: props.get("parse.key") === "true" || o.keySeparator !== undefined,
    keySeparator: o.keySeparator ?? props.get("key.separator") ?? "\t",
    parseHeaders: props.get("parse.headers") === "true",
    headersDelimiter: props.get("headers.delimiter") ?? "\t",
    headersSeparator: props.get("headers.separator") ?? ",",
    headersKeySeparator: props.get("headers.key.separator") ?? ":",
  };
}

/** headers, key and value of one input line (Kafka's LineMessageReader order: headers first). */
export function parseLine(
  line: string,
  format: LineFormat,
): { key: string | null; value: string; headers: RecordHeader[] } {
  let rest = line;
  const headers: RecordHeader[] = [];
  if (format.parseHeaders) {
    const at = rest.indexOf(format.headersDelimiter);
    if (at < 0) throw new UsageError(`no headers delimiter in line "${line}"`);
    for (const pair of rest.slice(0, at).split(format.headersSeparator)) {
      if (pair === "") continue;
      const eq = pair.indexOf(format.headersKeySeparator);
      headers.push(
        eq < 0
          ? { key: pair, value: null }
          : {
              key: pair.slice(0, eq),
              value: Buffer.from(pair.slice(eq + format.headersKeySeparator.length)),
            },
      );
    }
    rest = rest.slice(at + format.headersDelimiter.length);
  }
  if (!format.parseKey) return { key: null, value: rest, headers };
  const at = rest.indexOf(format.keySeparator);
  if (at < 0) throw new UsageError(`no key separator "${format.keySeparator}" in line "${line}"`);
  return { key: rest.slice(0, at), value: rest.slice(at + format.keySeparator.length), headers };
}

async function produce(o: Options): Promise<void> {
  const format = lineFormat(o);
  const compression = (o.compressionType ?? "none") as CompressionName;
  if (!codecs.includes(compression))
    throw new UsageError(`--compression-type must be one of ${codecs.join(", ")}`);
  const acks = acksOf(o.acks ?? o.requestRequiredAcks);
  const fixedHeaders: RecordHeader[] = (o.header ?? []).map(([key, value]) => ({
    key,
    value: Buffer.from(value),
  }));
  const producer = new Producer<string | null, string>({
    brokers: brokersOf(o.bootstrapServer),
    clientId: "nagare-console-producer",
    acks,
    compression,
    idempotent: acks === "all",
    lingerMs: o.lingerMs ?? 5,
  });
  await producer.connect();
  const input = o.file ? createReadStream(o.file) : process.stdin;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const pending: Promise<unknown>[] = [];
  let failure: unknown;
  try {
    for await (const line of lines) {
      const { key, value, headers } = parseLine(line, format);
      const sent = producer.send({
        topic: o.topic,
        key,
        value,
        headers: [...fixedHeaders, ...headers],
        ...(o.partition !== undefined ? { partition: o.partition } : {}),
      });
      sent.catch((error: unknown) => {
        failure ??= error;
      });
      pending.push(sent);
      // Keep memory bounded on large inputs: wait for the oldest sends now and then.
      if (pending.length >= 10_000) await Promise.allSettled(pending.splice(0, 5_000));
      if (failure) break;
    }
    await Promise.allSettled(pending);
  } finally {
    await producer.close();
  }
  if (failure) throw failure;
}

function program(): Command {
  return new Command("produce")
    .description("send one message per line of stdin (or --file) to a topic")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic to write to")
    .option("--file <path>", "read lines from this file instead of stdin")
    .option("--key-separator <sep>", "lines are key<sep>value (same as --property parse.key=true)")
    .option(
      "--property <key=value>",
      "parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator",
      keyValue,
    )
    .option("--header <key=value>", "a header for every message, repeatable", keyValue)
    .option("--partition <n>", "write every message to this partition", integer)
    .option("--compression-type <codec>", "none, gzip, snappy, lz4 or zstd")
    .option("--acks <acks>", "0, 1 or all (default all)")
    .option("--request-required-acks <acks>", "same as --acks (kafka-console-producer.sh's name)")
    .option("--linger-ms <ms>", "batching delay (default 5)", integer)
    .action(produce);
}

export function runProduce(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "produce");
}
