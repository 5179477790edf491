import assert from "node:assert/strict";
import { test } from "node:test";
import { classify, violation } from "../boundaries.ts";

test("protocol may import nothing of ours and no I/O module", () => {
  assert.match(
    violation("protocol", classify("../../storage/src/log.ts", "packages/storage/src/log.ts")) ?? "",
    /protocol must not import storage/,
  );
  assert.match(violation("protocol", classify("node:net", undefined)) ?? "", /sans-io/);
  assert.equal(violation("protocol", classify("node:zlib", undefined)), undefined);
  assert.equal(
    violation("protocol", classify("./reader.ts", "packages/protocol/src/codec/reader.ts")),
    undefined,
  );
});

test("protocol's tests may read fixture files, nothing more", () => {
  assert.equal(violation("protocol", classify("node:fs", undefined), "test"), undefined);
  assert.match(violation("protocol", classify("node:fs", undefined), "src") ?? "", /sans-io/);
  assert.match(violation("protocol", classify("node:net", undefined), "test") ?? "", /sans-io/);
});

test("storage imports only the records part of protocol", () => {
  assert.equal(violation("storage", classify("@nagare/protocol/records", undefined)), undefined);
  assert.equal(
    violation(
      "storage",
      classify("../../protocol/src/records/batch.ts", "packages/protocol/src/records/batch.ts"),
    ),
    undefined,
  );
  assert.match(violation("storage", classify("@nagare/protocol", undefined)) ?? "", /only protocol\/records/);
  assert.match(violation("storage", classify("@nagare/broker", undefined)) ?? "", /must not import broker/);
});

test("broker may use the client's connection only; client imports protocol only", () => {
  assert.equal(violation("broker", classify("@nagare/client/connection", undefined)), undefined);
  assert.match(
    violation("broker", classify("@nagare/client/producer", undefined)) ?? "",
    /only client\/connection/,
  );
  assert.equal(violation("client", classify("@nagare/protocol", undefined)), undefined);
  assert.match(violation("client", classify("@nagare/storage", undefined)) ?? "", /must not import storage/);
});

test("streams, connect, console import client; cli and testkit anything", () => {
  assert.equal(violation("streams", classify("@nagare/client", undefined)), undefined);
  assert.match(violation("console", classify("@nagare/broker", undefined)) ?? "", /must not import broker/);
  assert.equal(violation("cli", classify("@nagare/broker", undefined)), undefined);
  assert.equal(violation("testkit", classify("@nagare/storage", undefined)), undefined);
});
