// Topic configs Kafka accepts that the log itself does not act on (replication, compression and
// tiered-storage settings). Clients and tools set them on creation (`min.insync.replicas`,
// `compression.type` …), so they are validated and stored like any other override; the broker
// parts that honour them read them from the topic's configs.

type Check = (value: string) => boolean;

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (value) =>
    /^-?\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max;
const oneOf =
  (...choices: string[]): Check =>
  (value) =>
    choices.includes(value.trim());
const boolean = oneOf("true", "false");
const anyText: Check = () => true;

interface ExtraConfigDef {
  readonly defaultValue: string;
  readonly accepts: string;
  readonly check: Check;
}

export const extraTopicConfigDefs: Readonly<Record<string, ExtraConfigDef>> = {
  "compression.type": {
    defaultValue: "producer",
    accepts: "uncompressed, zstd, lz4, snappy, gzip or producer",
    check: oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
  },
  "compression.gzip.level": {
    defaultValue: "-1",
    accepts: "-1 or 1..9",
    check: (v) => v.trim() === "-1" || integer(1, 9)(v),
  },
  "compression.lz4.level": { defaultValue: "9", accepts: "1..17", check: integer(1, 17) },
  "compression.zstd.level": { defaultValue: "3", accepts: "-131072..22", check: integer(-131072, 22) },
  "min.insync.replicas": { defaultValue: "1", accepts: "an integer ≥ 1", check: integer(1) },
  "unclean.leader.election.enable": { defaultValue: "false", accepts: "true or false", check: boolean },
  preallocate: { defaultValue: "false", accepts: "true or false", check: boolean },
  "message.downconversion.enable": { defaultValue: "true", accepts: "true or false", check: boolean },
  "leader.replication.throttled.replicas": { defaultValue: "", accepts: "a replica list", check: anyText },
  "follower.replication.throttled.replicas": { defaultValue: "", accepts: "a replica list", check: anyText },
  "remote.storage.enable": { defaultValue: "false", accepts: "true or false", check: boolean },
  "local.retention.ms": { defaultValue: "-2", accepts: "an integer ≥ -2", check: integer(-2) },
  "local.retention.bytes": { defaultValue: "-2", accepts: "an integer ≥ -2", check: integer(-2) },
};

/** Why `key=value` is refused, or undefined when it is accepted; only for keys in the table. */
export function extraTopicConfigProblem(key: string, value: string): string | undefined {
  const def = extraTopicConfigDefs[key];
  if (!def) return `Unknown topic config name: ${key}`;
  return def.check(value)
    ? undefined
    : `Invalid value ${value} for configuration ${key}: expected ${def.accepts}`;
}
