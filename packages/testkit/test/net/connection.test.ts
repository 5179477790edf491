// The network layer against a running broker (testkit), with raw frames built by our codec:
// ApiVersions rules from COMPAT-NOTES, in-order answers to pipelined requests, and bad input that
// closes only the offending connection.

import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import {
  ApiVersions,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  FrameSplitter,
  Metadata,
} from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";

interface RawClient {
  send(frame: Buffer[] | Buffer): void;
  next(timeoutMs?: number): Promise<Buffer>;
  closed: Promise<void>;
  socket: Socket;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const splitter = new FrameSplitter({ maxFrameBytes: 1 << 26 });
  const frames: Buffer[] = [];
  const waiters: ((frame: Buffer) => void)[] = [];
  socket.on("data", (chunk: Buffer) => {
    for (const frame of splitter.push(chunk)) {
      const waiter = waiters.shift();
      if (waiter) waiter(frame);
      else frames.push(frame);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => undefined);
  return {
    socket,
    closed,
    send: (frame) => {
      for (const chunk of Array.isArray(frame) ? frame : [frame]) socket.write(chunk);
    },
    next: (timeoutMs = 5000) =>
      new Promise<Buffer>((resolve, reject) => {
        const ready = frames.shift();
        if (ready) return resolve(ready);
        const timer = setTimeout(() => reject(new Error("no response in time")), timeoutMs);
        waiters.push((frame) => {
          clearTimeout(timer);
          resolve(frame);
        });
      }),
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen in ${ms} ms`)), ms),
    ),
  ]);
}

test("ApiVersions: v0 and v3 answered (header v0 even for v3); v9 gets UNSUPPORTED_VERSION in a v0 body", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const client = await rawClient(broker.port);
  t.after(() => client.socket.destroy());

  client.send(encodeRequest(ApiVersions, { apiVersion: 0, correlationId: 1, clientId: "t" }, {}));
  const v0 = decodeResponse(ApiVersions, 0, await client.next());
  assert.equal(v0.header.correlationId, 1);
  assert.equal(v0.body.errorCode, ErrorCode.NONE);
  const advertised = new Map(v0.body.apiKeys.map((k) => [k.apiKey, k]));
  assert.deepEqual(advertised.get(ApiVersions.apiKey), { apiKey: 18, minVersion: 0, maxVersion: 4 });

  client.send(
    encodeRequest(
      ApiVersions,
      { apiVersion: 3, correlationId: 2, clientId: "t" },
      { clientSoftwareName: "nagare-test", clientSoftwareVersion: "1" },
    ),
  );
  const v3frame = await client.next();
  assert.equal(v3frame.readInt32BE(0), 2);
  assert.equal(v3frame.readInt16BE(4), ErrorCode.NONE); // no tagged-field byte in the header
  assert.equal(decodeResponse(ApiVersions, 3, v3frame).body.apiKeys.length, v0.body.apiKeys.length);

  // A client from the future asks for ApiVersions v9 with a body we cannot parse.
  const second = await rawClient(broker.port);
  t.after(() => second.socket.destroy());
  const header = Buffer.from("0012" + "0009" + "00000003" + "0001" + "74", "hex");
  const body = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  second.send([size, header, body]);
  const unsupported = decodeResponse(ApiVersions, 0, await second.next());
  assert.equal(unsupported.header.correlationId, 3);
  assert.equal(unsupported.body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
  assert.ok(unsupported.body.apiKeys.length > 0);
});

test("pipelined requests are answered in request order", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const client = await rawClient(broker.port);
  t.after(() => client.socket.destroy());
  for (let i = 0; i < 50; i++) {
    client.send(
      encodeRequest(ApiVersions, { apiVersion: i % 4, correlationId: 100 + i, clientId: null }, {}),
    );
  }
  for (let i = 0; i < 50; i++) {
    const frame = await client.next();
    assert.equal(frame.readInt32BE(0), 100 + i);
  }
});

test("bad input closes only the offending connection; others keep being served", async (t) => {
  const broker = await startBroker({ config: { "socket.request.max.bytes": "1024" } });
  t.after(() => broker.stop());
  const healthy = await rawClient(broker.port);
  t.after(() => healthy.socket.destroy());

  const cases: [string, Buffer][] = [
    ["garbage", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
    ["oversized frame", Buffer.from("00100000", "hex")],
    ["negative size", Buffer.from("ffffff00", "hex")],
    ["unknown api key", Buffer.from("0000000a" + "7fff" + "0000" + "00000001" + "ffff", "hex")],
    ["truncated body", Buffer.from("0000000e" + "0003" + "0001" + "00000001" + "ffff" + "7fffffff", "hex")],
  ];
  for (const [name, bytes] of cases) {
    const bad = await rawClient(broker.port);
    bad.send(bytes);
    await within(bad.closed, 5000, `closing the connection after ${name}`);
  }
  healthy.send(encodeRequest(Metadata, { apiVersion: 1, correlationId: 7, clientId: "ok" }, { topics: [] }));
  const answer = decodeResponse(Metadata, 1, await healthy.next());
  assert.equal(answer.header.correlationId, 7);
  assert.equal(answer.body.brokers[0]?.port, broker.port);
});
