import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { register as globalRegistry } from "prom-client";
import { BrokerMetrics, type PartitionState } from "../../src/metrics/broker-metrics.ts";

/** The value of the sample `name{labels}` in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",").filter((l) => l !== "");
    if (have.length === wanted.length && wanted.every((l) => have.includes(l))) return Number(match[3]);
  }
  return undefined;
}

test("requests, errors, latency and bytes per request", async () => {
  const metrics = new BrokerMetrics();
  const produce = {
    topicData: [{ name: "t", partitionData: [{ index: 0, records: Buffer.alloc(64) }] }],
  };
  const produced = {
    responses: [{ name: "t", partitionResponses: [{ index: 0, errorCode: ErrorCode.NONE }] }],
  };
  metrics.onRequest({
    api: "Produce",
    apiVersion: 7,
    durationSeconds: 0.002,
    request: produce,
    response: produced,
  });
  metrics.onRequest({
    api: "Produce",
    apiVersion: 7,
    durationSeconds: 0.02,
    request: produce,
    response: produced,
  });
  metrics.onRequest({
    api: "Produce",
    apiVersion: 3,
    durationSeconds: 0.001,
    request: produce,
    response: undefined,
  });
  metrics.onRequest({
    api: "Fetch",
    apiVersion: 11,
    durationSeconds: 0.5,
    request: {},
    response: {
      errorCode: 0,
      responses: [
        {
          topic: "t",
          partitions: [
            { errorCode: 0, records: Buffer.alloc(100) },
            { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: Buffer.alloc(0) },
          ],
        },
      ],
    },
  });
  const text = await metrics.scrape();
  assert.equal(sample(text, "nagare_requests_total", { api: "Produce", version: "7" }), 2);
  assert.equal(sample(text, "nagare_requests_total", { api: "Produce", version: "3" }), 1);
  assert.equal(sample(text, "nagare_requests_total", { api: "Fetch", version: "11" }), 1);
  assert.equal(
    sample(text, "nagare_request_errors_total", { api: "Fetch", error: "OFFSET_OUT_OF_RANGE" }),
    1,
  );
  assert.equal(sample(text, "nagare_request_errors_total", { api: "Produce", error: "NONE" }), undefined);
  assert.equal(sample(text, "nagare_request_duration_seconds_count", { api: "Produce" }), 3);
  assert.equal(sample(text, "nagare_request_duration_seconds_bucket", { api: "Produce", le: "0.005" }), 2);
  assert.equal(sample(text, "nagare_request_duration_seconds_bucket", { api: "Fetch", le: "0.25" }), 0);
  assert.equal(sample(text, "nagare_request_duration_seconds_bucket", { api: "Fetch", le: "0.5" }), 1);
  assert.equal(sample(text, "nagare_topic_bytes_in_total", { topic: "t" }), 192);
  assert.equal(sample(text, "nagare_topic_bytes_out_total", { topic: "t" }), 100);
  assert.ok((sample(text, "nagare_process_resident_memory_bytes") ?? 0) > 0);
  // Per-broker registry: nothing leaks into prom-client's global one.
  assert.equal(globalRegistry.getSingleMetric("nagare_requests_total"), undefined);
});

test("gauges are read from the source on each scrape; removed partitions disappear", async () => {
  const metrics = new BrokerMetrics();
  assert.equal(sample(await metrics.scrape(), "nagare_connections"), 0, "no source yet");
  let partitions: PartitionState[] = [
    { topic: "a", partition: 0, sizeBytes: 4096, logStartOffset: 3n, logEndOffset: 10n, highWatermark: 9n },
    {
      topic: "b",
      partition: 2,
      sizeBytes: 0,
      logStartOffset: 0n,
      logEndOffset: 0n,
      highWatermark: undefined,
    },
  ];
  let connections = 2;
  let groups = [
    { group: "g1", state: "Stable", members: 2, lag: [{ topic: "a", partition: 0, lag: 4n }] },
    { group: "g2", state: "Empty", members: 0, lag: [] },
  ];
  metrics.setSource({
    partitions: () => partitions,
    groups: () => groups,
    offlinePartitionCount: () => 1,
    offlineLogDirCount: () => 0,
    connectionCount: () => connections,
  });
  let text = await metrics.scrape();
  const a0 = { topic: "a", partition: "0" };
  assert.equal(sample(text, "nagare_log_size_bytes", a0), 4096);
  assert.equal(sample(text, "nagare_log_start_offset", a0), 3);
  assert.equal(sample(text, "nagare_log_end_offset", a0), 10);
  assert.equal(sample(text, "nagare_partition_high_watermark", a0), 9);
  assert.equal(sample(text, "nagare_log_end_offset", { topic: "b", partition: "2" }), 0);
  assert.equal(sample(text, "nagare_partition_high_watermark", { topic: "b", partition: "2" }), undefined);
  assert.equal(sample(text, "nagare_partitions"), 2);
  assert.equal(sample(text, "nagare_offline_partitions"), 1);
  assert.equal(sample(text, "nagare_offline_log_dirs"), 0);
  assert.equal(sample(text, "nagare_connections"), 2);
  assert.equal(sample(text, "nagare_group_lag", { group: "g1", topic: "a", partition: "0" }), 4);
  assert.equal(sample(text, "nagare_group_members", { group: "g1" }), 2);
  assert.equal(sample(text, "nagare_group_state", { group: "g2", state: "Empty" }), 1);

  partitions = partitions.slice(1);
  connections = 0;
  groups = [];
  text = await metrics.scrape();
  assert.equal(sample(text, "nagare_log_size_bytes", a0), undefined);
  assert.equal(sample(text, "nagare_partitions"), 1);
  assert.equal(sample(text, "nagare_connections"), 0);
  assert.equal(sample(text, "nagare_group_members", { group: "g1" }), undefined, "deleted groups disappear");
});

test("two brokers' metrics keep apart", async () => {
  const one = new BrokerMetrics();
  const two = new BrokerMetrics();
  one.onRequest({ api: "Metadata", apiVersion: 4, durationSeconds: 0, request: {}, response: {} });
  assert.equal(sample(await one.scrape(), "nagare_requests_total", { api: "Metadata", version: "4" }), 1);
  assert.equal(
    sample(await two.scrape(), "nagare_requests_total", { api: "Metadata", version: "4" }),
    undefined,
  );
});
