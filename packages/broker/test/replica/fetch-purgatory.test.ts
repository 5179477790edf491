import assert from "node:assert/strict";
import { test } from "node:test";
import { FetchPurgatory } from "../../src/replica/fetch-purgatory.ts";

test("a parked fetch completes once enough bytes arrive on any watched partition", async () => {
  const purgatory = new FetchPurgatory();
  const waiting = purgatory.wait(["a:0", "b:1"], 100, 60_000);
  assert.equal(purgatory.waiting, 1);
  purgatory.onAppend("c:0", 500); // not watched
  purgatory.onAppend("a:0", 60);
  assert.equal(purgatory.waiting, 1);
  purgatory.onAppend("b:1", 40);
  assert.equal(await waiting, "bytes");
  assert.equal(purgatory.waiting, 0);
});

test("timeouts, removal, the bound and close all answer parked fetches", async () => {
  const purgatory = new FetchPurgatory({ maxWaiting: 2 });
  const timeout = purgatory.wait(["a:0"], 1, 20);
  const removed = purgatory.wait(["b:0"], 1, 60_000);
  assert.equal(await purgatory.wait(["c:0"], 1, 60_000), "full");
  purgatory.onRemoved("b:0");
  assert.equal(await removed, "removed");
  assert.equal(await timeout, "timeout");
  const closing = purgatory.wait(["a:0"], 1, 60_000);
  purgatory.close();
  assert.equal(await closing, "closed");
  assert.equal(await purgatory.wait(["a:0"], 1, 60_000), "closed");
  assert.equal(purgatory.waiting, 0);
});

test("nothing to wait for answers at once", async () => {
  const purgatory = new FetchPurgatory();
  assert.equal(await purgatory.wait([], 10, 1000), "bytes");
  assert.equal(await purgatory.wait(["a:0"], 0, 1000), "bytes");
  assert.equal(await purgatory.wait(["a:0"], 10, 0), "timeout");
});
