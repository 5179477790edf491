// A topic's effective configuration as CreateTopics (v5+) reports it: every topic config Kafka's
// log knows (and the extra ones it stores), with its value and where the value comes from (the topic's override, a broker log.*
// setting from the config file/flags/env, or the built-in default).

import { logConfigDefs } from "@nagare/storage";
import { type BrokerConfig, brokerConfigDefs, topicConfigDefaults } from "../config/broker-config.ts";
import { extraTopicConfigDefs } from "./extra-topic-configs.ts";

/** Kafka's DescribeConfigs ConfigSource ids. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface TopicConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly readOnly: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
}

/** Broker configs that provide a topic config's default (Kafka's synonyms), most specific first. */
export function brokerSynonyms(topicConfig: string): string[] {
  const direct = Object.entries(brokerConfigDefs)
    .filter(([, def]) => def.topicConfig === topicConfig)
    .map(([key]) => key);
  if (topicConfig === "retention.ms") return [...direct, "log.retention.minutes", "log.retention.hours"];
  if (topicConfig === "segment.ms") return [...direct, "log.roll.hours"];
  return direct;
}

export function topicConfigEntries(
  config: BrokerConfig,
  overrides: Readonly<Record<string, string>>,
): TopicConfigEntry[] {
  const brokerDefaults = topicConfigDefaults(config);
  return [...Object.keys(logConfigDefs), ...Object.keys(extraTopicConfigDefs)].sort().map((name) => {
    const override = overrides[name];
    const fromBroker = brokerSynonyms(name).some((key) => config.sources[key] !== undefined);
    const value =
      override ??
      brokerDefaults[name] ??
      logConfigDefs[name]?.defaultValue ??
      extraTopicConfigDefs[name]?.defaultValue ??
      "";
    const configSource =
      override !== undefined
        ? ConfigSource.DYNAMIC_TOPIC_CONFIG
        : fromBroker
          ? ConfigSource.STATIC_BROKER_CONFIG
          : ConfigSource.DEFAULT_CONFIG;
    return { name, value, readOnly: false, configSource, isSensitive: false };
  });
}
