// @nagare/broker: the Kafka-compatible broker.

export { Broker, type BrokerOptions } from "./broker.ts";
export type { BrokerServices } from "./broker-services.ts";
export {
  type BrokerConfig,
  brokerConfigDefs,
  ConfigError,
  configFromEnv,
  parseProperties,
  resolveBrokerConfig,
  topicConfigDefaults,
} from "./config/broker-config.ts";
export type { ListenerSpec } from "./config/listeners.ts";
export { createLogger, type Logger, silentLogger } from "./logger.ts";
