// Config resources and entries as the admin client presents them: Kafka's resource types,
// sources and alter operations by name instead of by number.

export type ConfigResourceType = "topic" | "broker";

export interface ConfigResource {
  readonly type: ConfigResourceType;
  /** A topic name, or a broker's node id as text. */
  readonly name: string;
}

export type ConfigSource =
  | "DYNAMIC_TOPIC_CONFIG"
  | "DYNAMIC_BROKER_CONFIG"
  | "DYNAMIC_DEFAULT_BROKER_CONFIG"
  | "STATIC_BROKER_CONFIG"
  | "DEFAULT_CONFIG"
  | "DYNAMIC_BROKER_LOGGER_CONFIG"
  | "UNKNOWN";

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
  readonly synonyms: readonly { name: string; value: string | null; source: ConfigSource }[];
  readonly documentation: string | null;
}

export interface ConfigOp {
  readonly name: string;
  readonly op: "set" | "delete" | "append" | "subtract";
  /** Required except for delete. */
  readonly value?: string;
}

const sources: readonly ConfigSource[] = [
  "UNKNOWN",
  "DYNAMIC_TOPIC_CONFIG",
  "DYNAMIC_BROKER_CONFIG",
  "DYNAMIC_DEFAULT_BROKER_CONFIG",
  "STATIC_BROKER_CONFIG",
  "DEFAULT_CONFIG",
  "DYNAMIC_BROKER_LOGGER_CONFIG",
];

export function sourceName(code: number): ConfigSource {
  return sources[code] ?? "UNKNOWN";
}

export function resourceTypeCode(type: ConfigResourceType): number {
  return type === "topic" ? 2 : 4;
}

export function opCode(op: ConfigOp["op"]): number {
  return { set: 0, delete: 1, append: 2, subtract: 3 }[op];
}

export function configEntry(raw: {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  documentation: string | null;
}): ConfigEntry {
  // DescribeConfigs v0 has isDefault; from v1 the source says it.
  const source =
    raw.configSource === -1 ? (raw.isDefault ? "DEFAULT_CONFIG" : "UNKNOWN") : sourceName(raw.configSource);
  return {
    name: raw.name,
    value: raw.value,
    source,
    isDefault: source === "DEFAULT_CONFIG" || raw.isDefault,
    readOnly: raw.readOnly,
    sensitive: raw.isSensitive,
    synonyms: raw.synonyms.map((s) => ({ name: s.name, value: s.value, source: sourceName(s.source) })),
    documentation: raw.documentation,
  };
}
