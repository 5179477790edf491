import assert from "node:assert/strict";
import { test } from "node:test";
import { CodecError } from "../../src/codec/codec-error.ts";
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from "../../src/codec/frames.ts";
import { ApiVersions } from "../../src/messages/api-versions.ts";

const lookup = (key: number) => (key === ApiVersions.apiKey ? ApiVersions : undefined);

test("ApiVersions v3 request: flexible body, header v2 with a classic client id", () => {
  const framed = Buffer.concat(
    encodeRequest(
      ApiVersions,
      { apiVersion: 3, correlationId: 7, clientId: "rdkafka" },
      { clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.0.2" },
    ),
  );
  // size, key 18, version 3, correlation 7, client id int16 length 7, "rdkafka", header tags 0,
  // compact "librdkafka" (len+1 = 11), compact "2.0.2" (6), body tags 0
  const expected = Buffer.concat([
    Buffer.from("00000024" + "0012" + "0003" + "00000007" + "0007", "hex"),
    Buffer.from("rdkafka"),
    Buffer.from("00", "hex"),
    Buffer.from("0b", "hex"),
    Buffer.from("librdkafka"),
    Buffer.from("06", "hex"),
    Buffer.from("2.0.2"),
    Buffer.from("00", "hex"),
  ]);
  assert.deepEqual(framed.toString("hex"), expected.toString("hex"));
  const decoded = decodeRequest(framed.subarray(4), lookup);
  assert.equal(decoded.header.clientId, "rdkafka");
  assert.deepEqual(decoded.body, { clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.0.2" });
});

test("ApiVersions response header stays v0 in flexible versions; tagged fields written only when set", () => {
  const body = { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 7 }], throttleTimeMs: 0 };
  const framed = Buffer.concat(encodeResponse(ApiVersions, 3, { correlationId: 9 }, body));
  // correlation id, then immediately the error code: no header tagged-field byte
  assert.equal(framed.subarray(4, 10).toString("hex"), "000000090000");
  const { header, body: decoded } = decodeResponse(ApiVersions, 3, framed.subarray(4));
  assert.equal(header.correlationId, 9);
  assert.deepEqual(decoded.apiKeys, body.apiKeys);
  assert.equal(decoded.finalizedFeaturesEpoch, -1n);
  assert.equal(decoded.zkMigrationReady, false);
  // the body ends with an empty tagged section
  assert.equal(framed[framed.length - 1], 0);

  const withTags = Buffer.concat(
    encodeResponse(ApiVersions, 3, { correlationId: 9 }, { ...body, finalizedFeaturesEpoch: 5n }),
  );
  const again = decodeResponse(ApiVersions, 3, withTags.subarray(4)).body;
  assert.equal(again.finalizedFeaturesEpoch, 5n);
  assert.equal(withTags.length, framed.length + 10); // tag, size, int64 and count 1 instead of 0
});

test("unknown tagged fields are skipped on read and kept for re-encoding", () => {
  const framed = Buffer.concat(
    encodeResponse(
      ApiVersions,
      3,
      { correlationId: 1 },
      { errorCode: 0, apiKeys: [], _unknownTaggedFields: [{ tag: 42, data: Buffer.from([1, 2, 3]) }] },
    ),
  );
  const { body } = decodeResponse(ApiVersions, 3, framed.subarray(4));
  assert.deepEqual(body._unknownTaggedFields, [{ tag: 42, data: Buffer.from([1, 2, 3]) }]);
  const again = Buffer.concat(encodeResponse(ApiVersions, 3, { correlationId: 1 }, body));
  assert.deepEqual(again, framed);
});

test("versions outside the range and unknown api keys are typed errors", () => {
  const frame = Buffer.concat(
    encodeRequest(ApiVersions, { apiVersion: 4, correlationId: 1, clientId: null }, {}),
  );
  frame.writeInt16BE(9, 6); // version 9
  assert.throws(
    () => decodeRequest(frame.subarray(4), lookup),
    (e: unknown) => e instanceof CodecError && e.code === "UNSUPPORTED_VERSION",
  );
  frame.writeInt16BE(999, 4);
  assert.throws(
    () => decodeRequest(frame.subarray(4), lookup),
    (e: unknown) => e instanceof CodecError && e.code === "UNKNOWN_API",
  );
});

test("v0 response uses classic arrays and omits fields added later", () => {
  const framed = Buffer.concat(
    encodeResponse(ApiVersions, 0, { correlationId: 3 }, { errorCode: 35, apiKeys: [], throttleTimeMs: 100 }),
  );
  assert.equal(framed.toString("hex"), "0000000a" + "00000003" + "0023" + "00000000");
});
