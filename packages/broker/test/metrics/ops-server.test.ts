import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { BrokerMetrics } from "../../src/metrics/broker-metrics.ts";
import { OpsServer, type Readiness } from "../../src/metrics/ops-server.ts";

async function start(readiness: () => Readiness) {
  const errors: unknown[] = [];
  const metrics = new BrokerMetrics();
  const server = await OpsServer.listen(
    { host: "127.0.0.1", port: 0 },
    { metrics, readiness, onError: (e) => errors.push(e) },
  );
  return { server, metrics, errors };
}

async function get(url: string, method = "GET") {
  const response = await fetch(url, { method });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

test("/metrics, /health and /ready", async (t) => {
  let ready: Readiness = { ready: false, reason: "starting" };
  const { server, metrics } = await start(() => ready);
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  metrics.onRequest({ api: "ApiVersions", apiVersion: 3, durationSeconds: 0, request: {}, response: {} });

  const scraped = await get(`${server.url}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(scraped.type ?? "", /^text\/plain; version=0\.0\.4/);
  assert.match(scraped.body, /^nagare_requests_total\{api="ApiVersions",version="3"\} 1$/m);

  assert.deepEqual(await get(`${server.url}/health`), { status: 200, type: "text/plain", body: "ok\n" });
  assert.deepEqual(await get(`${server.url}/ready`), { status: 503, type: "text/plain", body: "starting\n" });
  ready = { ready: true, reason: "ready" };
  assert.equal((await get(`${server.url}/ready?verbose`)).status, 200);
  assert.equal((await get(`${server.url}/nope`)).status, 404);
  assert.equal((await get(`${server.url}/metrics`, "POST")).status, 405);
  const head = await get(`${server.url}/health`, "HEAD");
  assert.deepEqual([head.status, head.body], [200, ""]);
});

test("close() ends keep-alive connections and frees the port", async () => {
  const { server } = await start(() => ({ ready: true, reason: "ready" }));
  const agent = new (await import("node:http")).Agent({ keepAlive: true });
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${server.url}/health`, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
  assert.equal(status, 200);
  await server.close(); // would hang on the idle keep-alive socket without closeAllConnections
  agent.destroy();
  await assert.rejects(fetch(`${server.url}/health`));
});

test("a port in use names the config to change", async (t) => {
  const { server } = await start(() => ({ ready: true, reason: "ready" }));
  t.after(() => server.close());
  const port = Number(new URL(server.url).port);
  await assert.rejects(
    OpsServer.listen(
      { host: "127.0.0.1", port },
      { metrics: new BrokerMetrics(), readiness: () => ({ ready: true, reason: "" }), onError: () => {} },
    ),
    /nagare\.http\.listener .*EADDRINUSE.*none to disable/,
  );
});
