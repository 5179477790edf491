import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConfigError,
  configFromEnv,
  parseProperties,
  resolveBrokerConfig,
  topicConfigDefaults,
} from "../../src/config/broker-config.ts";

test("defaults: PLAINTEXT://localhost:9092 and ./data", () => {
  const config = resolveBrokerConfig({});
  assert.deepEqual(config.listeners, [
    { name: "PLAINTEXT", securityProtocol: "PLAINTEXT", host: "localhost", port: 9092 },
  ]);
  assert.deepEqual(config.advertisedListeners, config.listeners);
  assert.deepEqual(config.logDirs, ["./data"]);
  assert.equal(config.numPartitions, 1);
  assert.equal(config.autoCreateTopics, true);
});

test("precedence: file < --override < NAGARE_* environment", () => {
  const file = parseProperties(
    "# comment\nnum.partitions=3\nlog.dirs = /a\nauto.create.topics.enable: false\n",
    "f",
  );
  const config = resolveBrokerConfig({
    file,
    overrides: { "num.partitions": "5" },
    env: configFromEnv({ NAGARE_NUM_PARTITIONS: "7", NAGARE_LOG_DIRS: "/b,/c", PATH: "/bin" }),
  });
  assert.equal(config.numPartitions, 7);
  assert.deepEqual(config.logDirs, ["/b", "/c"]);
  assert.equal(config.autoCreateTopics, false);
  assert.deepEqual(config.sources, {
    "num.partitions": "env",
    "log.dirs": "env",
    "auto.create.topics.enable": "file",
  });
});

test("unknown keys and invalid values stop with a message naming the key", () => {
  assert.throws(
    () => resolveBrokerConfig({ overrides: { "num.partition": "3" } }),
    (e: unknown) => {
      return e instanceof ConfigError && /unknown config "num.partition"/.test(e.message);
    },
  );
  assert.throws(
    () => resolveBrokerConfig({ overrides: { "num.partitions": "zero" } }),
    (e: unknown) =>
      e instanceof ConfigError && /invalid num.partitions=zero: expected an integer ≥ 1/.test(e.message),
  );
  assert.throws(
    () => resolveBrokerConfig({ overrides: { listeners: "SSL://:9093" } }),
    (e: unknown) =>
      e instanceof ConfigError && /listeners: listener "SSL" is not supported yet/.test(e.message),
  );
  assert.throws(
    () => resolveBrokerConfig({ overrides: { listeners: "localhost:9092" } }),
    (e: unknown) => e instanceof ConfigError && /is not NAME:\/\/host:port/.test(e.message),
  );
  assert.throws(
    () => parseProperties("just words\n", "server.properties"),
    /server.properties:1: expected key=value/,
  );
});

test("topic config defaults come from the broker's log.* synonyms", () => {
  const config = resolveBrokerConfig({
    overrides: { "log.retention.hours": "1", "log.segment.bytes": "1048576" },
  });
  const defaults = topicConfigDefaults(config);
  assert.equal(defaults["retention.ms"], "3600000");
  assert.equal(defaults["segment.bytes"], "1048576");
  assert.equal(defaults["max.message.bytes"], "1048588");
  assert.equal(
    topicConfigDefaults(resolveBrokerConfig({ overrides: { "log.retention.ms": "-1" } }))["retention.ms"],
    "-1",
  );
});
