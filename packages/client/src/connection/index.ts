// The low-level connection, importable on its own (the broker's replica fetchers use it).

export {
  type BrokerAddress,
  BrokerConnection,
  type ConnectionOptions,
  type SendOptions,
} from "./broker-connection.ts";
