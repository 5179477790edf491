// Operations end to end: a broker with its HTTP server on, real clients doing work, then
// /metrics shows the requests, errors, bytes and partition gauges it did; /health and /ready answer.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { requireTool, run } from "./support/clients.ts";
import { samples, sum } from "./support/prometheus.ts";

const kcat = "/usr/bin/kcat";

test("/metrics counts kafkajs produces and kcat fetches; /health and /ready answer", async (t) => {
  requireTool(kcat, "kcat");
  const broker = await startBroker({ http: true, config: { "auto.create.topics.enable": "false" } });
  t.after(() => broker.stop());
  const base = broker.httpUrl as string;
  assert.equal(broker.metricsUrl, `${base}/metrics`);
  assert.equal((await fetch(`${base}/health`)).status, 200);
  const ready = await fetch(`${base}/ready`);
  assert.deepEqual([ready.status, await ready.text()], [200, "ready\n"]);

  const kafka = new Kafka({
    brokers: [broker.bootstrap],
    clientId: "metrics",
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic: "observed", numPartitions: 2 }] });
  // An unknown topic (auto-creation off): the Metadata response carries UNKNOWN_TOPIC_OR_PARTITION.
  await assert.rejects(admin.fetchTopicMetadata({ topics: ["missing"] }));

  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());
  for (let round = 0; round < 2; round++)
    await producer.send({
      topic: "observed",
      messages: Array.from({ length: 50 }, (_, i) => ({
        partition: 0,
        key: `k${i}`,
        value: `value-${round}-${i}`,
      })),
    });

  const consumed = await run(
    kcat,
    ["-b", broker.bootstrap, "-C", "-t", "observed", "-o", "beginning", "-e", "-q"],
    {
      timeoutMs: 30_000,
    },
  );
  assert.equal(consumed.code, 0, consumed.stderr);
  assert.equal(consumed.stdout.trim().split("\n").length, 100);

  const response = await fetch(broker.metricsUrl as string);
  assert.equal(response.status, 200);
  const text = await response.text();
  // kafkajs speaks Produce v7: one request per send.
  assert.deepEqual(samples(text, "nagare_requests_total", { api: "Produce" }), [2]);
  assert.deepEqual(samples(text, "nagare_requests_total", { api: "Produce", version: "7" }), [2]);
  assert.deepEqual(samples(text, "nagare_requests_total", { api: "CreateTopics" }), [1]);
  assert.ok(sum(samples(text, "nagare_requests_total", { api: "Fetch" })) >= 1, "kcat fetched");
  assert.ok(sum(samples(text, "nagare_requests_total", { api: "ApiVersions" })) >= 2, "both clients");
  assert.ok(
    sum(
      samples(text, "nagare_request_errors_total", { api: "Metadata", error: "UNKNOWN_TOPIC_OR_PARTITION" }),
    ) >= 1,
  );
  assert.deepEqual(samples(text, "nagare_request_errors_total", { api: "Produce" }), []);
  assert.deepEqual(samples(text, "nagare_request_duration_seconds_count", { api: "Produce" }), [2]);

  const bytesIn = sum(samples(text, "nagare_topic_bytes_in_total", { topic: "observed" }));
  const bytesOut = sum(samples(text, "nagare_topic_bytes_out_total", { topic: "observed" }));
  assert.ok(bytesIn > 100 * "value-0-0".length, `bytes in ${bytesIn}`);
  assert.ok(bytesOut >= bytesIn, `kcat read everything: out ${bytesOut} ≥ in ${bytesIn}`);

  const p0 = { topic: "observed", partition: "0" };
  const p1 = { topic: "observed", partition: "1" };
  assert.deepEqual(samples(text, "nagare_log_end_offset", p0), [100]);
  assert.deepEqual(samples(text, "nagare_partition_high_watermark", p0), [100]);
  assert.deepEqual(samples(text, "nagare_log_start_offset", p0), [0]);
  assert.deepEqual(samples(text, "nagare_log_size_bytes", p0), [bytesIn]);
  assert.deepEqual(samples(text, "nagare_log_end_offset", p1), [0]);
  assert.deepEqual(samples(text, "nagare_partitions"), [2]);
  assert.deepEqual(samples(text, "nagare_offline_partitions"), [0]);
  assert.ok((samples(text, "nagare_connections")[0] ?? 0) >= 1, "kafkajs is connected");

  const url = broker.metricsUrl as string;
  await broker.stop();
  await assert.rejects(fetch(url), "the HTTP server stops with the broker");
});

test("the HTTP server is off unless asked for", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  assert.equal(broker.metricsUrl, undefined);
  assert.equal(broker.broker.operations, undefined);
});
