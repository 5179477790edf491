// Property test: for every declared API, every version in its range, request and response,
// random values the version can carry survive encode → decode unchanged, and re-encoding the
// decoded value gives the same bytes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { apiCodec } from "../../src/codec/message-codec.ts";
import { Reader } from "../../src/codec/reader.ts";
import { Writer } from "../../src/codec/writer.ts";
import { allApis } from "../../src/messages/index.ts";
import { randomMessage, seededRandom } from "../support/random-values.ts";

const samplesPerVersion = 25;

for (const api of allApis) {
  test(`${api.name} (key ${api.apiKey}) round-trips at every version ${api.validVersions}`, () => {
    const codec = apiCodec(api);
    const random = seededRandom(api.apiKey * 7919 + 1);
    for (let version = codec.minVersion; version <= codec.maxVersion; version++) {
      for (const side of ["request", "response"] as const) {
        for (let i = 0; i < samplesPerVersion; i++) {
          const value = randomMessage(random, api, side, version);
          const writer = new Writer();
          if (side === "request") codec.encodeRequest(writer, version, value);
          else codec.encodeResponse(writer, version, value);
          const bytes = writer.toBuffer();
          const reader = new Reader(bytes);
          const decoded =
            side === "request" ? codec.decodeRequest(reader, version) : codec.decodeResponse(reader, version);
          assert.equal(reader.remaining, 0, `${api.name} v${version} ${side}: trailing bytes`);
          assert.deepEqual(decoded, value, `${api.name} v${version} ${side} sample ${i}`);
          const again = new Writer();
          if (side === "request") codec.encodeRequest(again, version, decoded);
          else codec.encodeResponse(again, version, decoded);
          assert.ok(again.toBuffer().equals(bytes), `${api.name} v${version} ${side}: re-encoding differs`);
        }
      }
    }
  });
}

test("every api key is declared once", () => {
  const keys = allApis.map((api) => api.apiKey);
  assert.equal(new Set(keys).size, keys.length);
});
