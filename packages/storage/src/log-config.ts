// Per-topic log configuration with Kafka's names and defaults (topic-level names; the broker maps
// its `log.*` defaults onto them). Values enter as strings (server.properties, CreateTopics,
// AlterConfigs) and are validated here once; a bad value is a StorageError("INVALID_CONFIG") that
// names the key and the accepted values.
//
// "Never" values (Kafka's Long.MAX_VALUE for flush.messages, flush.ms, max.compaction.lag.ms …)
// become Number.POSITIVE_INFINITY; -1 for retention means unlimited and is kept as -1.

import { StorageError } from "./storage-error.ts";

export type TimestampTypeName = "CreateTime" | "LogAppendTime";

export interface LogConfig {
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly segmentJitterMs: number;
  readonly segmentIndexBytes: number;
  readonly indexIntervalBytes: number;
  readonly maxMessageBytes: number;
  readonly messageTimestampType: TimestampTypeName;
  readonly messageTimestampBeforeMaxMs: number;
  readonly messageTimestampAfterMaxMs: number;
  readonly cleanupPolicyDelete: boolean;
  readonly cleanupPolicyCompact: boolean;
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly minCompactionLagMs: number;
  readonly maxCompactionLagMs: number;
  readonly minCleanableDirtyRatio: number;
  readonly deleteRetentionMs: number;
  /** fsync after this many messages; 1 makes every append durable before it is acknowledged. */
  readonly flushMessages: number;
  readonly flushMs: number;
  readonly fileDeleteDelayMs: number;
}

const longMax = "9223372036854775807";

type Parser = (raw: string, key: string) => Partial<Record<keyof LogConfig, unknown>>;

interface ConfigDef {
  /** Kafka's default, as DescribeConfigs shows it. */
  readonly defaultValue: string;
  readonly doc: string;
  readonly parse: Parser;
}

function integer(
  field: keyof LogConfig,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  longMaxIsInfinity = false,
): Parser {
  return (raw, key) => {
    const text = raw.trim();
    if (longMaxIsInfinity && text === longMax) return { [field]: Number.POSITIVE_INFINITY };
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      const upper = longMaxIsInfinity ? longMax : String(max);
      throw new StorageError(
        "INVALID_CONFIG",
        `${key}=${raw} is invalid: expected an integer in [${min}, ${upper}]`,
      );
    }
    return { [field]: value };
  };
}

function ratio(field: keyof LogConfig): Parser {
  return (raw, key) => {
    const value = Number(raw.trim());
    if (raw.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1)
      throw new StorageError("INVALID_CONFIG", `${key}=${raw} is invalid: expected a number in [0, 1]`);
    return { [field]: value };
  };
}

const parseTimestampType: Parser = (raw, key) => {
  if (raw === "CreateTime" || raw === "LogAppendTime") return { messageTimestampType: raw };
  throw new StorageError("INVALID_CONFIG", `${key}=${raw} is invalid: expected CreateTime or LogAppendTime`);
};

const parseCleanupPolicy: Parser = (raw, key) => {
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p !== "delete" && p !== "compact"))
    throw new StorageError(
      "INVALID_CONFIG",
      `${key}=${raw} is invalid: expected delete, compact, or compact,delete`,
    );
  return { cleanupPolicyDelete: parts.includes("delete"), cleanupPolicyCompact: parts.includes("compact") };
};

/** Topic-level log configs, by Kafka name. */
export const logConfigDefs: Readonly<Record<string, ConfigDef>> = {
  "segment.bytes": {
    defaultValue: "1073741824",
    doc: "Segment file size before rolling",
    parse: integer("segmentBytes", 14),
  },
  "segment.ms": {
    defaultValue: "604800000",
    doc: "Roll a segment after this long",
    parse: integer("segmentMs", 1),
  },
  "segment.jitter.ms": {
    defaultValue: "0",
    doc: "Random jitter subtracted from segment.ms",
    parse: integer("segmentJitterMs", 0),
  },
  "segment.index.bytes": {
    defaultValue: "10485760",
    doc: "Size of the offset index",
    parse: integer("segmentIndexBytes", 4 * 8 + 4),
  },
  "index.interval.bytes": {
    defaultValue: "4096",
    doc: "Bytes between offset index entries",
    parse: integer("indexIntervalBytes", 0),
  },
  "max.message.bytes": {
    defaultValue: "1048588",
    doc: "Largest record batch accepted",
    parse: integer("maxMessageBytes", 0, 2147483647),
  },
  "message.timestamp.type": {
    defaultValue: "CreateTime",
    doc: "CreateTime or LogAppendTime",
    parse: parseTimestampType,
  },
  "message.timestamp.before.max.ms": {
    defaultValue: longMax,
    doc: "How far in the past a CreateTime timestamp may be",
    parse: integer("messageTimestampBeforeMaxMs", 0, Number.MAX_SAFE_INTEGER, true),
  },
  "message.timestamp.after.max.ms": {
    defaultValue: "3600000",
    doc: "How far in the future a CreateTime timestamp may be",
    parse: integer("messageTimestampAfterMaxMs", 0, Number.MAX_SAFE_INTEGER, true),
  },
  "cleanup.policy": {
    defaultValue: "delete",
    doc: "delete, compact, or compact,delete",
    parse: parseCleanupPolicy,
  },
  "retention.ms": {
    defaultValue: "604800000",
    doc: "Keep data this long; -1 forever",
    parse: integer("retentionMs", -1),
  },
  "retention.bytes": {
    defaultValue: "-1",
    doc: "Keep at most this many bytes; -1 unlimited",
    parse: integer("retentionBytes", -1),
  },
  "min.compaction.lag.ms": {
    defaultValue: "0",
    doc: "Minimum age before a record may be compacted",
    parse: integer("minCompactionLagMs", 0),
  },
  "max.compaction.lag.ms": {
    defaultValue: longMax,
    doc: "Maximum time a record stays uncompacted",
    parse: integer("maxCompactionLagMs", 1, Number.MAX_SAFE_INTEGER, true),
  },
  "min.cleanable.dirty.ratio": {
    defaultValue: "0.5",
    doc: "Dirty ratio that triggers compaction",
    parse: ratio("minCleanableDirtyRatio"),
  },
  "delete.retention.ms": {
    defaultValue: "86400000",
    doc: "How long tombstones are kept",
    parse: integer("deleteRetentionMs", 0),
  },
  "flush.messages": {
    defaultValue: longMax,
    doc: "fsync after this many messages (1 = durable before acknowledging)",
    parse: integer("flushMessages", 1, Number.MAX_SAFE_INTEGER, true),
  },
  "flush.ms": {
    defaultValue: longMax,
    doc: "fsync at least this often",
    parse: integer("flushMs", 0, Number.MAX_SAFE_INTEGER, true),
  },
  "file.delete.delay.ms": {
    defaultValue: "60000",
    doc: "Delay before deleting removed segment files",
    parse: integer("fileDeleteDelayMs", 0),
  },
};

function build(values: Readonly<Record<string, string>>): LogConfig {
  let config: Partial<Record<keyof LogConfig, unknown>> = {};
  for (const [key, def] of Object.entries(logConfigDefs))
    config = { ...config, ...def.parse(def.defaultValue, key) };
  for (const [key, raw] of Object.entries(values)) {
    const def = logConfigDefs[key];
    if (!def)
      throw new StorageError(
        "INVALID_CONFIG",
        `unknown topic config ${key}; known: ${Object.keys(logConfigDefs).join(", ")}`,
      );
    config = { ...config, ...def.parse(raw, key) };
  }
  return config as unknown as LogConfig;
}

/** Kafka's defaults. */
export const defaultLogConfig: LogConfig = build({});

/** Builds a config from Kafka-named string values over the defaults (or over `base`'s values). */
export function parseLogConfig(values: Readonly<Record<string, string>>): LogConfig {
  return build(values);
}
