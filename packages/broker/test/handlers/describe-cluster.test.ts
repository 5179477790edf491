import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { resolveBrokerConfig } from "../../src/config/broker-config.ts";
import { describeClusterHandler } from "../../src/handlers/describe-cluster.ts";
import { allClusterOperations } from "../../src/handlers/metadata.ts";
import { call, dataPath } from "./data-path-fixture.ts";

const request = { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: false };

test("describes this node with the advertised address, cluster id and controller", async (t) => {
  const { services } = await dataPath(t);
  const config = resolveBrokerConfig({
    overrides: {
      listeners: "PLAINTEXT://0.0.0.0:9092",
      "advertised.listeners": "PLAINTEXT://broker.example:19092",
    },
  });
  const withAdvertised = { ...services, config };
  for (const version of [0, 1, 2]) {
    const r = await call(describeClusterHandler, withAdvertised, version, request);
    assert.equal(r?.errorCode, ErrorCode.NONE);
    assert.equal(r?.clusterId, "test-cluster");
    assert.equal(r?.controllerId, 1);
    assert.deepEqual(r?.brokers, [
      { brokerId: 1, host: "broker.example", port: 19092, rack: null, isFenced: false },
    ]);
    assert.equal(r?.clusterAuthorizedOperations, -2147483648);
    if (version >= 1) assert.equal(r?.endpointType, 1);
  }
  const asked = await call(describeClusterHandler, withAdvertised, 2, {
    ...request,
    includeClusterAuthorizedOperations: true,
    includeFencedBrokers: true,
  });
  assert.equal(asked?.clusterAuthorizedOperations, allClusterOperations);
  assert.equal(asked?.brokers.length, 1);
});

test("controller and unknown endpoint types are refused (KIP-919)", async (t) => {
  const { services } = await dataPath(t);
  const controllers = await call(describeClusterHandler, services, 1, { ...request, endpointType: 2 });
  assert.equal(controllers?.errorCode, ErrorCode.MISMATCHED_ENDPOINT_TYPE);
  assert.deepEqual(controllers?.brokers, []);
  const unknown = await call(describeClusterHandler, services, 2, { ...request, endpointType: 7 });
  assert.equal(unknown?.errorCode, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
  assert.match(unknown?.errorMessage ?? "", /7/);
});
