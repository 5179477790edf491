// Config entries as DescribeConfigs reports them, for a topic and for this broker: value, source,
// synonyms in Kafka's order, data type and documentation (KIP-226 synonyms, KIP-569 types/docs).
//
// Synonyms follow Kafka's ConfigHelper: a topic lists its own override (DYNAMIC_TOPIC_CONFIG), then
// the broker configs that provide its default — first those set in the config file, flags or
// environment (STATIC_BROKER_CONFIG), then those with a built-in default (DEFAULT_CONFIG), each
// group in precedence order (log.retention.ms, log.retention.minutes, log.retention.hours). A topic
// config without a broker synonym here (segment.jitter.ms …) has no synonyms. The entry's source is
// the first synonym's source, DEFAULT_CONFIG when there is none.
//
// One deviation, on purpose: Kafka drops a topic's broker synonyms listed before the first
// broker name itself (so retention.ms shows no synonyms unless log.retention.ms is set, even when
// log.retention.hours is); we keep them, so the config the value comes from is visible.

import { logConfigDefs } from "@nagare/storage";
import { extraTopicConfigDefs } from "../metadata/extra-topic-configs.ts";
import { brokerSynonyms, ConfigSource, topicConfigEntries } from "../metadata/topic-config-entries.ts";
import { type BrokerConfig, brokerConfigDefs } from "./broker-config.ts";

/** Kafka's DescribeConfigsResponse.ConfigType ids. */
export const ConfigType = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: number;
}

export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  /** v0's flag: the value is not set on the resource itself. */
  readonly isDefault: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
  readonly synonyms: ConfigSynonym[];
  readonly configType: number;
  readonly documentation: string | null;
}

const { BOOLEAN, STRING, INT, LONG, DOUBLE, LIST } = ConfigType;

/** Kafka's types of the topic configs Nagare accepts (LogConfig's ConfigDef). */
const topicConfigTypes: Readonly<Record<string, number>> = {
  "segment.bytes": INT,
  "segment.ms": LONG,
  "segment.jitter.ms": LONG,
  "segment.index.bytes": INT,
  "index.interval.bytes": INT,
  "max.message.bytes": INT,
  "message.timestamp.type": STRING,
  "message.timestamp.before.max.ms": LONG,
  "message.timestamp.after.max.ms": LONG,
  "cleanup.policy": LIST,
  "retention.ms": LONG,
  "retention.bytes": LONG,
  "min.compaction.lag.ms": LONG,
  "max.compaction.lag.ms": LONG,
  "min.cleanable.dirty.ratio": DOUBLE,
  "delete.retention.ms": LONG,
  "flush.messages": LONG,
  "flush.ms": LONG,
  "file.delete.delay.ms": LONG,
  "compression.type": STRING,
  "compression.gzip.level": INT,
  "compression.lz4.level": INT,
  "compression.zstd.level": INT,
  "min.insync.replicas": INT,
  "unclean.leader.election.enable": BOOLEAN,
  preallocate: BOOLEAN,
  "message.downconversion.enable": BOOLEAN,
  "leader.replication.throttled.replicas": LIST,
  "follower.replication.throttled.replicas": LIST,
  "remote.storage.enable": BOOLEAN,
  "local.retention.ms": LONG,
  "local.retention.bytes": LONG,
};

/** Documentation of the topic configs the log does not act on (stored and validated only). */
const extraTopicConfigDocs: Readonly<Record<string, string>> = {
  "compression.type": "Compression codec of the topic's data; producer keeps what the producer sent",
  "compression.gzip.level": "Compression level for gzip",
  "compression.lz4.level": "Compression level for lz4",
  "compression.zstd.level": "Compression level for zstd",
  "min.insync.replicas": "In-sync replicas required for acks=all (one broker: always 1 in sync)",
  "unclean.leader.election.enable": "Allow out-of-sync replicas to become leader (no effect on one broker)",
  preallocate: "Preallocate segment files (stored only)",
  "message.downconversion.enable": "Down-convert batches for old consumers (stored only)",
  "leader.replication.throttled.replicas": "Replicas throttled on the leader side (stored only)",
  "follower.replication.throttled.replicas": "Replicas throttled on the follower side (stored only)",
  "remote.storage.enable": "Tiered storage (not implemented; stored only)",
  "local.retention.ms": "Local retention with tiered storage (stored only)",
  "local.retention.bytes": "Local retention by size with tiered storage (stored only)",
};

const brokerKindTypes: Readonly<Record<string, number>> = {
  int: INT,
  long: LONG,
  boolean: BOOLEAN,
  string: STRING,
  list: LIST,
  ratio: DOUBLE,
  // Kafka types listeners and advertised.listeners as STRING.
  listeners: STRING,
};

/** Topic configs whose value is a comma-separated list (APPEND/SUBTRACT apply to these only). */
export function isListTopicConfig(name: string): boolean {
  return topicConfigTypes[name] === LIST;
}

/** Every topic config name Nagare accepts. */
export function topicConfigNames(): string[] {
  return [...Object.keys(logConfigDefs), ...Object.keys(extraTopicConfigDefs)].sort();
}

/** The broker synonyms of a topic config: those set explicitly, then those with a default. */
function brokerSynonymEntries(config: BrokerConfig, names: readonly string[]): ConfigSynonym[] {
  const out: ConfigSynonym[] = [];
  for (const name of names)
    if (config.sources[name] !== undefined)
      out.push({ name, value: config.values[name] ?? null, source: ConfigSource.STATIC_BROKER_CONFIG });
  for (const name of names) {
    const defaultValue = brokerConfigDefs[name]?.defaultValue;
    if (defaultValue !== null && defaultValue !== undefined)
      out.push({ name, value: defaultValue, source: ConfigSource.DEFAULT_CONFIG });
  }
  return out;
}

/** Every topic config with its effective value, given the topic's overrides. */
export function describeTopicConfigs(
  config: BrokerConfig,
  overrides: Readonly<Record<string, string>>,
  options: { readonly includeSynonyms: boolean; readonly includeDocumentation: boolean },
): DescribedConfig[] {
  return topicConfigEntries(config, overrides).map((entry) => {
    const override = overrides[entry.name];
    const synonyms: ConfigSynonym[] = [
      ...(override === undefined
        ? []
        : [{ name: entry.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG }]),
      ...brokerSynonymEntries(config, brokerSynonyms(entry.name)),
    ];
    return {
      name: entry.name,
      value: entry.value,
      readOnly: false,
      isDefault: entry.configSource !== ConfigSource.DYNAMIC_TOPIC_CONFIG,
      configSource: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      isSensitive: false,
      synonyms: options.includeSynonyms ? synonyms : [],
      configType: topicConfigTypes[entry.name] ?? ConfigType.UNKNOWN,
      documentation: options.includeDocumentation
        ? (logConfigDefs[entry.name]?.doc ?? extraTopicConfigDocs[entry.name] ?? null)
        : null,
    };
  });
}

/**
 * A broker config and the broker configs it stands for, most specific first (Kafka's
 * DynamicBrokerConfig.brokerConfigSynonyms): log.retention.ms before log.retention.minutes before
 * log.retention.hours; log.roll.ms before log.roll.hours.
 */
function brokerConfigFamily(name: string): string[] {
  const families = [
    ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
    ["log.roll.ms", "log.roll.hours"],
  ];
  const family = families.find((names) => names.includes(name));
  return family ? family.slice(family.indexOf(name)) : [name];
}

/**
 * Every broker config of this node with its value and source. All are read-only: Nagare has no
 * dynamic broker configs yet, values come from the config file, --override flags and NAGARE_*
 * variables read at start-up.
 */
export function describeBrokerConfigs(
  config: BrokerConfig,
  options: { readonly includeSynonyms: boolean; readonly includeDocumentation: boolean },
): DescribedConfig[] {
  return Object.keys(brokerConfigDefs)
    .sort()
    .map((name) => {
      const def = brokerConfigDefs[name];
      // As Kafka: synonyms before the config's own entry are dropped, so an unset log.retention.ms
      // lists none (its value is null; log.retention.hours is described on its own).
      const all = brokerSynonymEntries(config, brokerConfigFamily(name));
      const own = all.findIndex((synonym) => synonym.name === name);
      const synonyms = own === -1 ? [] : all.slice(own);
      const configSource = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
      return {
        name,
        value: config.values[name] ?? null,
        readOnly: true,
        isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
        configSource,
        isSensitive: false,
        synonyms: options.includeSynonyms ? synonyms : [],
        configType: def ? (brokerKindTypes[def.kind] ?? ConfigType.UNKNOWN) : ConfigType.UNKNOWN,
        documentation: options.includeDocumentation ? (def?.doc ?? null) : null,
      };
    });
}
