// Fuzz test: random and mutated frames never make a decoder throw anything but CodecError, and
// declared lengths/counts far beyond the frame are rejected before anything is allocated.

import assert from "node:assert/strict";
import { test } from "node:test";
import { CodecError } from "../../src/codec/codec-error.ts";
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from "../../src/codec/frames.ts";
import { FrameSplitter } from "../../src/codec/framing.ts";
import { apiCodec } from "../../src/codec/message-codec.ts";
import { allApis, apiByKey } from "../../src/messages/index.ts";
import { randomMessage, seededRandom } from "../support/random-values.ts";

const random = seededRandom(20261122);
const mutationsPerFrame = 12;

/** Runs a decode; returns whether it was rejected (with a CodecError — anything else fails the test). */
function onlyCodecErrors(run: () => unknown, what: string): boolean {
  try {
    run();
    return false;
  } catch (error) {
    if (!(error instanceof CodecError)) {
      assert.fail(`${what}: threw ${String(error)} instead of a CodecError`);
    }
    return true;
  }
}

function mutate(frame: Buffer): Buffer {
  const copy = Buffer.from(frame);
  const kind = Math.floor(random() * 4);
  if (kind === 0 && copy.length > 0) return copy.subarray(0, Math.floor(random() * copy.length));
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips && copy.length > 0; i++) {
    const at = Math.floor(random() * copy.length);
    copy[at] = kind === 1 ? 0xff : kind === 2 ? Math.floor(random() * 256) : 0x7f;
  }
  return copy;
}

test("mutated requests and responses of every API only raise CodecError", () => {
  let decodedAnyway = 0;
  let rejected = 0;
  for (const api of allApis) {
    const codec = apiCodec(api);
    for (let version = codec.minVersion; version <= codec.maxVersion; version++) {
      const request = Buffer.concat(
        encodeRequest(
          api,
          { apiVersion: version, correlationId: 1, clientId: "fuzz" },
          randomMessage(random, api, "request", version),
        ),
      ).subarray(4);
      const response = Buffer.concat(
        encodeResponse(api, version, { correlationId: 1 }, randomMessage(random, api, "response", version)),
      ).subarray(4);
      for (let i = 0; i < mutationsPerFrame; i++) {
        const badRequest = mutate(request);
        if (onlyCodecErrors(() => decodeRequest(badRequest, apiByKey), `${api.name} v${version} request`))
          rejected++;
        else decodedAnyway++;
        const badResponse = mutate(response);
        onlyCodecErrors(() => decodeResponse(api, version, badResponse), `${api.name} v${version} response`);
      }
    }
  }
  // The mutations must exercise both paths: frames the codec rejects and frames it still parses.
  assert.ok(rejected > 100, `only ${rejected} mutated requests were rejected`);
  assert.ok(decodedAnyway > 100, `only ${decodedAnyway} mutated requests still decoded`);
});

test("random garbage frames only raise CodecError", () => {
  for (let i = 0; i < 3000; i++) {
    const frame = Buffer.alloc(Math.floor(random() * 64));
    for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(random() * 256);
    if (frame.length >= 4 && random() < 0.7) {
      // aim at real api keys and versions so bodies get parsed, not just rejected by key
      const api = allApis[Math.floor(random() * allApis.length)];
      if (api) {
        frame.writeInt16BE(api.apiKey, 0);
        frame.writeInt16BE(Math.floor(random() * (apiCodec(api).maxVersion + 1)), 2);
      }
    }
    onlyCodecErrors(() => decodeRequest(frame, apiByKey), "garbage request");
  }
});

test("huge declared counts and lengths are rejected without allocating them", () => {
  const metadata = apiByKey(3);
  assert.ok(metadata);
  // Metadata v1 request: header v1 (key, version, correlation id, null client id) then the
  // topics array count: 0x7fffffff topics announced in a frame of a few bytes.
  const frame = Buffer.from("0003" + "0001" + "00000001" + "ffff" + "7fffffff", "hex");
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(
    () => decodeRequest(frame, apiByKey),
    (e: unknown) => e instanceof CodecError && e.code === "MALFORMED",
  );
  // Produce v3 with a record-set length of 2 GiB - 1
  const produce = Buffer.from(
    "0000" +
      "0003" +
      "00000001" +
      "ffff" +
      "ffff" +
      "0001" +
      "00001388" +
      "00000001" +
      "0001" +
      "74" +
      "00000001" +
      "00000000" +
      "7fffffff",
    "hex",
  );
  assert.throws(
    () => decodeRequest(produce, apiByKey),
    (e: unknown) => e instanceof CodecError && e.code === "TRUNCATED",
  );
  assert.ok(process.memoryUsage().arrayBuffers - before < 1024 * 1024);
});

test("frame splitter rejects oversized and negative sizes before buffering, and reassembles split frames", () => {
  const splitter = new FrameSplitter({ maxFrameBytes: 100 });
  assert.throws(
    () => splitter.push(Buffer.from("00000065", "hex")),
    (e: unknown) => e instanceof CodecError && e.code === "FRAME_TOO_LARGE",
  );
  assert.throws(
    () => new FrameSplitter({ maxFrameBytes: 100 }).push(Buffer.from("ffffffff", "hex")),
    (e: unknown) => e instanceof CodecError && e.code === "FRAME_TOO_LARGE",
  );
  const ok = new FrameSplitter({ maxFrameBytes: 100 });
  const stream = Buffer.from("00000003616263" + "00000000" + "000000026465", "hex");
  const frames: Buffer[] = [];
  for (const byte of stream) frames.push(...ok.push(Buffer.from([byte])));
  assert.deepEqual(
    frames.map((f) => f.toString()),
    ["abc", "", "de"],
  );
  assert.equal(ok.pendingBytes, 0);
});
