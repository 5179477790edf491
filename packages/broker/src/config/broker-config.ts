// Broker configuration with Kafka's names and defaults. Sources, from lowest precedence: a
// server.properties-style file, `--override key=value`, then `NAGARE_*` environment variables
// (NAGARE_LOG_DIRS → log.dirs: upper case, dots as underscores). An unknown key or an invalid value
// stops start-up with a one-line message naming the key and what it accepts.
//
// Deviations from Kafka's defaults, on purpose: `listeners` defaults to PLAINTEXT://localhost:9092
// and `log.dirs` to ./data, so `nagare broker` works from a fresh checkout without a config file.

import { parseHttpListener } from "./http-listener.ts";
import { type ListenerSpec, parseListeners } from "./listeners.ts";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Kind = "int" | "long" | "boolean" | "string" | "list" | "ratio" | "listeners" | "http";

interface BrokerConfigDef {
  readonly kind: Kind;
  readonly defaultValue: string | null;
  readonly doc: string;
  readonly min?: number;
  readonly choices?: readonly string[];
  /** The topic config this broker config provides the default for. */
  readonly topicConfig?: string;
}

const longMax = "9223372036854775807";

export const brokerConfigDefs: Readonly<Record<string, BrokerConfigDef>> = {
  "node.id": { kind: "int", defaultValue: "1", min: 0, doc: "This broker's id" },
  "broker.id": { kind: "int", defaultValue: null, min: 0, doc: "Alias of node.id" },
  listeners: { kind: "listeners", defaultValue: "PLAINTEXT://localhost:9092", doc: "Listener URIs" },
  "advertised.listeners": { kind: "listeners", defaultValue: null, doc: "Listener URIs given to clients" },
  "log.dirs": { kind: "list", defaultValue: "./data", doc: "Data directories" },
  "log.dir": {
    kind: "string",
    defaultValue: null,
    doc: "Single data directory (used when log.dirs is not set)",
  },
  "num.partitions": { kind: "int", defaultValue: "1", min: 1, doc: "Partitions of auto-created topics" },
  "default.replication.factor": {
    kind: "int",
    defaultValue: "1",
    min: 1,
    doc: "Replication factor of auto-created topics",
  },
  "auto.create.topics.enable": { kind: "boolean", defaultValue: "true", doc: "Create topics on first use" },
  "delete.topic.enable": { kind: "boolean", defaultValue: "true", doc: "Allow DeleteTopics" },
  "message.max.bytes": {
    kind: "int",
    defaultValue: "1048588",
    min: 0,
    doc: "Largest record batch",
    topicConfig: "max.message.bytes",
  },
  "socket.request.max.bytes": {
    kind: "int",
    defaultValue: "104857600",
    min: 1,
    doc: "Largest request frame",
  },
  "connections.max.idle.ms": {
    kind: "long",
    defaultValue: "600000",
    min: 1,
    doc: "Close idle connections after this long",
  },
  "queued.max.request.bytes": {
    kind: "long",
    defaultValue: "-1",
    min: -1,
    doc: "Unused; Kafka compatibility",
  },
  "log.segment.bytes": {
    kind: "int",
    defaultValue: "1073741824",
    min: 14,
    doc: "Segment size",
    topicConfig: "segment.bytes",
  },
  "log.roll.hours": { kind: "int", defaultValue: "168", min: 1, doc: "Segment age before rolling (hours)" },
  "log.roll.ms": {
    kind: "long",
    defaultValue: null,
    min: 1,
    doc: "Segment age before rolling",
    topicConfig: "segment.ms",
  },
  "log.retention.hours": { kind: "int", defaultValue: "168", min: -1, doc: "Retention (hours)" },
  "log.retention.minutes": { kind: "int", defaultValue: null, min: -1, doc: "Retention (minutes)" },
  "log.retention.ms": {
    kind: "long",
    defaultValue: null,
    min: -1,
    doc: "Retention",
    topicConfig: "retention.ms",
  },
  "log.retention.bytes": {
    kind: "long",
    defaultValue: "-1",
    min: -1,
    doc: "Retention by size",
    topicConfig: "retention.bytes",
  },
  "log.cleanup.policy": {
    kind: "list",
    defaultValue: "delete",
    doc: "delete, compact",
    topicConfig: "cleanup.policy",
  },
  "log.index.interval.bytes": {
    kind: "int",
    defaultValue: "4096",
    min: 0,
    doc: "Bytes between index entries",
    topicConfig: "index.interval.bytes",
  },
  "log.index.size.max.bytes": {
    kind: "int",
    defaultValue: "10485760",
    min: 4,
    doc: "Offset index size",
    topicConfig: "segment.index.bytes",
  },
  "log.message.timestamp.type": {
    kind: "string",
    defaultValue: "CreateTime",
    choices: ["CreateTime", "LogAppendTime"],
    doc: "Timestamp type",
    topicConfig: "message.timestamp.type",
  },
  "log.flush.interval.messages": {
    kind: "long",
    defaultValue: longMax,
    min: 1,
    doc: "fsync every N messages",
    topicConfig: "flush.messages",
  },
  "log.flush.interval.ms": {
    kind: "long",
    defaultValue: null,
    min: 0,
    doc: "fsync at least this often",
    topicConfig: "flush.ms",
  },
  "log.flush.scheduler.interval.ms": {
    kind: "long",
    defaultValue: longMax,
    min: 1,
    doc: "How often flush.ms is checked",
  },
  "log.flush.offset.checkpoint.interval.ms": {
    kind: "int",
    defaultValue: "60000",
    min: 0,
    doc: "Recovery point checkpoint interval",
  },
  "log.retention.check.interval.ms": {
    kind: "long",
    defaultValue: "300000",
    min: 1,
    doc: "Retention check interval",
  },
  "log.cleaner.enable": { kind: "boolean", defaultValue: "true", doc: "Run the log cleaner (compaction)" },
  "log.cleaner.backoff.ms": { kind: "long", defaultValue: "15000", min: 0, doc: "Cleaner sleep when idle" },
  "log.cleaner.min.cleanable.ratio": {
    kind: "ratio",
    defaultValue: "0.5",
    doc: "Dirty ratio to clean",
    topicConfig: "min.cleanable.dirty.ratio",
  },
  "log.cleaner.delete.retention.ms": {
    kind: "long",
    defaultValue: "86400000",
    min: 0,
    doc: "Tombstone retention",
    topicConfig: "delete.retention.ms",
  },
  "log.cleaner.min.compaction.lag.ms": {
    kind: "long",
    defaultValue: "0",
    min: 0,
    doc: "Minimum compaction lag",
    topicConfig: "min.compaction.lag.ms",
  },
  "offsets.topic.num.partitions": {
    kind: "int",
    defaultValue: "50",
    min: 1,
    doc: "Partitions of __consumer_offsets",
  },
  "offsets.topic.replication.factor": {
    kind: "int",
    defaultValue: "3",
    min: 1,
    doc: "Replication factor of __consumer_offsets (capped at the number of brokers; one on a single node)",
  },
  "offsets.topic.segment.bytes": {
    kind: "int",
    defaultValue: "104857600",
    min: 1,
    doc: "Segment size of __consumer_offsets",
  },
  "offsets.retention.minutes": {
    kind: "int",
    defaultValue: "10080",
    min: 1,
    doc: "How long committed offsets of an empty group (or of a standalone consumer) are kept",
  },
  "offsets.retention.check.interval.ms": {
    kind: "long",
    defaultValue: "600000",
    min: 1,
    doc: "How often expired offsets are removed",
  },
  "offset.metadata.max.bytes": {
    kind: "int",
    defaultValue: "4096",
    min: 0,
    doc: "Largest metadata string of an offset commit",
  },
  "group.min.session.timeout.ms": {
    kind: "int",
    defaultValue: "6000",
    min: 0,
    doc: "Smallest session timeout a group member may ask for",
  },
  "group.max.session.timeout.ms": {
    kind: "int",
    defaultValue: "1800000",
    min: 0,
    doc: "Largest session timeout a group member may ask for",
  },
  "group.initial.rebalance.delay.ms": {
    kind: "int",
    defaultValue: "3000",
    min: 0,
    doc: "How long an empty group waits for more members before its first rebalance completes",
  },
  "group.max.size": {
    kind: "int",
    defaultValue: "2147483647",
    min: 1,
    doc: "Most members in one consumer group",
  },
  "transaction.state.log.num.partitions": {
    kind: "int",
    defaultValue: "50",
    min: 1,
    doc: "Partitions of __transaction_state",
  },
  "transaction.state.log.replication.factor": {
    kind: "int",
    defaultValue: "3",
    min: 1,
    doc: "Replication factor of __transaction_state (capped at the number of brokers; one on a single node)",
  },
  "transaction.state.log.segment.bytes": {
    kind: "int",
    defaultValue: "104857600",
    min: 1,
    doc: "Segment size of __transaction_state",
  },
  "transaction.max.timeout.ms": {
    kind: "int",
    defaultValue: "900000",
    min: 1,
    doc: "Largest transaction timeout a producer may ask for",
  },
  "transaction.abort.timed.out.transaction.cleanup.interval.ms": {
    kind: "int",
    defaultValue: "10000",
    min: 1,
    doc: "How often transactions past their timeout are aborted",
  },
  "transactional.id.expiration.ms": {
    kind: "int",
    defaultValue: "604800000",
    min: 1,
    doc: "How long an idle transactional id is kept",
  },
  "transaction.remove.expired.transaction.cleanup.interval.ms": {
    kind: "int",
    defaultValue: "3600000",
    min: 1,
    doc: "How often idle transactional ids are removed",
  },
  "producer.id.expiration.ms": {
    kind: "int",
    defaultValue: "86400000",
    min: 1,
    doc: "How long a partition remembers an idle idempotent producer",
  },
  "producer.id.expiration.check.interval.ms": {
    kind: "int",
    defaultValue: "600000",
    min: 1,
    doc: "How often idle producers are forgotten",
  },
  "nagare.http.listener": {
    kind: "http",
    defaultValue: "http://localhost:9644",
    doc: "Nagare-specific (not a Kafka config): HTTP server for /metrics, /health and /ready; none or empty disables it",
  },
};

export interface BrokerConfig {
  readonly nodeId: number;
  readonly listeners: readonly ListenerSpec[];
  readonly advertisedListeners: readonly ListenerSpec[];
  readonly logDirs: readonly string[];
  readonly numPartitions: number;
  readonly autoCreateTopics: boolean;
  readonly deleteTopicEnable: boolean;
  readonly socketRequestMaxBytes: number;
  readonly connectionsMaxIdleMs: number;
  /** Every config by Kafka name, defaults filled in (null: unset with no default). */
  readonly values: Readonly<Record<string, string | null>>;
  /** Where each explicitly set value came from. */
  readonly sources: Readonly<Record<string, "file" | "override" | "env">>;
}

/** Parses server.properties text: `key=value` or `key: value` lines, `#`/`!` comments. */
export function parseProperties(text: string, origin: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) return;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!match) throw new ConfigError(`${origin}:${i + 1}: expected key=value, got "${line}"`);
    out[match[1] as string] = (match[2] as string).trim();
  });
  return out;
}

/** `NAGARE_LOG_DIRS=…` → `log.dirs`. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("NAGARE_") || value === undefined) continue;
    out[name.slice("NAGARE_".length).toLowerCase().replaceAll("_", ".")] = value;
  }
  return out;
}

function validate(key: string, raw: string): void {
  const def = brokerConfigDefs[key];
  if (!def) {
    throw new ConfigError(`unknown config "${key}"; see docs/configuration.md for the accepted keys`);
  }
  const value = raw.trim();
  switch (def.kind) {
    case "int":
    case "long": {
      const n = Number(value);
      const max = def.kind === "int" ? 2147483647 : Number.MAX_SAFE_INTEGER;
      if (value === longMax && def.kind === "long") return;
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n > max || n < (def.min ?? -max))
        throw new ConfigError(`invalid ${key}=${raw}: expected an integer ≥ ${def.min ?? -max}`);
      return;
    }
    case "boolean":
      if (value !== "true" && value !== "false")
        throw new ConfigError(`invalid ${key}=${raw}: expected true or false`);
      return;
    case "ratio": {
      const n = Number(value);
      if (value === "" || !(n >= 0 && n <= 1))
        throw new ConfigError(`invalid ${key}=${raw}: expected a number in [0, 1]`);
      return;
    }
    case "listeners":
      parseListeners(value, key);
      return;
    case "http":
      parseHttpListener(value, key);
      return;
    default:
      if (def.choices && !def.choices.includes(value))
        throw new ConfigError(`invalid ${key}=${raw}: expected one of ${def.choices.join(", ")}`);
  }
}

export interface ConfigSources {
  readonly file?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
}

export function resolveBrokerConfig(sources: ConfigSources): BrokerConfig {
  const values: Record<string, string | null> = {};
  const origin: Record<string, "file" | "override" | "env"> = {};
  for (const [key, def] of Object.entries(brokerConfigDefs)) values[key] = def.defaultValue;
  const layers: [Readonly<Record<string, string>> | undefined, "file" | "override" | "env"][] = [
    [sources.file, "file"],
    [sources.overrides, "override"],
    [sources.env, "env"],
  ];
  for (const [layer, name] of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      validate(key, value);
      values[key] = value.trim();
      origin[key] = name;
    }
  }
  const listeners = parseListeners(values.listeners as string, "listeners");
  const advertised = values["advertised.listeners"]
    ? parseListeners(values["advertised.listeners"], "advertised.listeners")
    : listeners;
  const logDirs = (values["log.dirs"] ?? values["log.dir"] ?? "./data")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "");
  if (origin["log.dir"] && !origin["log.dirs"])
    logDirs.splice(0, logDirs.length, values["log.dir"] as string);
  return {
    nodeId: Number(values["broker.id"] ?? values["node.id"]),
    listeners,
    advertisedListeners: advertised,
    logDirs,
    numPartitions: Number(values["num.partitions"]),
    autoCreateTopics: values["auto.create.topics.enable"] === "true",
    deleteTopicEnable: values["delete.topic.enable"] === "true",
    socketRequestMaxBytes: Number(values["socket.request.max.bytes"]),
    connectionsMaxIdleMs: Number(values["connections.max.idle.ms"]),
    values,
    sources: origin,
  };
}

/** Topic-config defaults derived from the broker's log.* configs (Kafka's synonyms). */
export function topicConfigDefaults(config: BrokerConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, def] of Object.entries(brokerConfigDefs)) {
    const value = config.values[key];
    if (def.topicConfig && value !== null && value !== undefined) out[def.topicConfig] = value;
  }
  const v = config.values;
  if (!v["log.retention.ms"]) {
    if (v["log.retention.minutes"]) out["retention.ms"] = String(Number(v["log.retention.minutes"]) * 60_000);
    else out["retention.ms"] = String(Number(v["log.retention.hours"]) * 3_600_000);
    if (Number(out["retention.ms"]) < 0) out["retention.ms"] = "-1";
  }
  if (!v["log.roll.ms"]) out["segment.ms"] = String(Number(v["log.roll.hours"]) * 3_600_000);
  return out;
}
