import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBrokerArgs } from "../src/commands/broker.ts";

test("nagare broker arguments: --config, repeated --override, positional .properties", () => {
  assert.deepEqual(
    parseBrokerArgs(["--override", "listeners=PLAINTEXT://127.0.0.1:19092", "--override", "log.dirs=./d2"]),
    {
      overrides: { listeners: "PLAINTEXT://127.0.0.1:19092", "log.dirs": "./d2" },
    },
  );
  assert.deepEqual(parseBrokerArgs(["server.properties"]), {
    configFile: "server.properties",
    overrides: {},
  });
  assert.equal(parseBrokerArgs(["--override", "novalue"]), '--override needs key=value, got "novalue"');
  assert.equal(
    parseBrokerArgs(["--frobnicate"]),
    'unknown argument "--frobnicate"; run "nagare broker --help"',
  );
});
