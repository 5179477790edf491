import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ErrorCode,
  type ErrorCodeName,
  type ErrorCodeValue,
  errorInfo,
  errorName,
  isKnownErrorCode,
  isRetriable,
  KAFKA_ERRORS,
} from "../src/errors.ts";

test("codes and names are unique", () => {
  const codes = new Set(KAFKA_ERRORS.map((e) => e.code));
  const names = new Set(KAFKA_ERRORS.map((e) => e.name));
  assert.equal(codes.size, KAFKA_ERRORS.length);
  assert.equal(names.size, KAFKA_ERRORS.length);
});

test("table covers every code from -1 to the maximum, in order, with no gaps", () => {
  const max = Math.max(...KAFKA_ERRORS.map((e) => e.code));
  assert.ok(max >= 133, `expected codes through at least 133, got ${max}`);
  assert.deepEqual(
    KAFKA_ERRORS.map((e) => e.code),
    Array.from({ length: max + 2 }, (_, i) => i - 1),
  );
});

test("entries are well formed", () => {
  for (const e of KAFKA_ERRORS) {
    assert.match(e.name, /^[A-Z][A-Z0-9_]*$/, `bad name ${e.name}`);
    assert.ok(Number.isInteger(e.code) && e.code >= -32768 && e.code <= 32767, `code ${e.code} not int16`);
    assert.equal(typeof e.retriable, "boolean");
    assert.ok(e.message.length > 0 && !e.message.includes("\n"), `message of ${e.name}`);
    assert.ok(Object.isFrozen(e));
  }
  assert.ok(Object.isFrozen(KAFKA_ERRORS));
});

test("ErrorCode is a frozen name → code map consistent with the table", () => {
  assert.ok(Object.isFrozen(ErrorCode));
  assert.equal(Object.keys(ErrorCode).length, KAFKA_ERRORS.length);
  for (const e of KAFKA_ERRORS) {
    assert.equal(ErrorCode[e.name as ErrorCodeName], e.code);
    assert.equal(errorName(e.code), e.name);
    assert.equal(errorInfo(e.code), e);
    assert.equal(isRetriable(e.code), e.retriable);
    assert.ok(isKnownErrorCode(e.code));
  }
});

test("well-known codes", () => {
  const expected: ReadonlyArray<readonly [ErrorCodeValue, ErrorCodeName, boolean]> = [
    [-1, "UNKNOWN_SERVER_ERROR", false],
    [0, "NONE", false],
    [1, "OFFSET_OUT_OF_RANGE", false],
    [2, "CORRUPT_MESSAGE", true],
    [3, "UNKNOWN_TOPIC_OR_PARTITION", true],
    [5, "LEADER_NOT_AVAILABLE", true],
    [6, "NOT_LEADER_OR_FOLLOWER", true],
    [7, "REQUEST_TIMED_OUT", true],
    [8, "BROKER_NOT_AVAILABLE", false],
    [10, "MESSAGE_TOO_LARGE", false],
    [13, "NETWORK_EXCEPTION", true],
    [15, "COORDINATOR_NOT_AVAILABLE", true],
    [16, "NOT_COORDINATOR", true],
    [22, "ILLEGAL_GENERATION", false],
    [25, "UNKNOWN_MEMBER_ID", false],
    [27, "REBALANCE_IN_PROGRESS", false],
    [29, "TOPIC_AUTHORIZATION_FAILED", false],
    [35, "UNSUPPORTED_VERSION", false],
    [36, "TOPIC_ALREADY_EXISTS", false],
    [41, "NOT_CONTROLLER", true],
    [42, "INVALID_REQUEST", false],
    [47, "INVALID_PRODUCER_EPOCH", false],
    [51, "CONCURRENT_TRANSACTIONS", true],
    [56, "KAFKA_STORAGE_ERROR", true],
    [58, "SASL_AUTHENTICATION_FAILED", false],
    [74, "FENCED_LEADER_EPOCH", true],
    [79, "MEMBER_ID_REQUIRED", false],
    [87, "INVALID_RECORD", false],
    [89, "THROTTLING_QUOTA_EXCEEDED", true],
    [90, "PRODUCER_FENCED", false],
    [100, "UNKNOWN_TOPIC_ID", true],
    [110, "FENCED_MEMBER_EPOCH", false],
    [119, "INVALID_REGISTRATION", false],
    [120, "TRANSACTION_ABORTABLE", false],
    [121, "INVALID_RECORD_STATE", false],
    [122, "SHARE_SESSION_NOT_FOUND", true],
    [129, "REBOOTSTRAP_REQUIRED", false],
    [133, "SHARE_SESSION_LIMIT_REACHED", true],
  ];
  for (const [code, name, retriable] of expected) {
    assert.equal(ErrorCode[name], code, name);
    assert.equal(errorName(code), name);
    assert.equal(isRetriable(code), retriable, `${name} retriable`);
  }
  assert.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 3);
  assert.equal(ErrorCode.NOT_LEADER_OR_FOLLOWER, 6);
  assert.equal(errorInfo(ErrorCode.MESSAGE_TOO_LARGE).code, 10);
});

test("retriable count matches Kafka's RetriableException subclasses", () => {
  assert.equal(KAFKA_ERRORS.filter((e) => e.retriable).length, 32);
});

test("unknown codes get a synthetic, non-retriable entry instead of throwing", () => {
  for (const code of [134, 999, -2, 32767, 1.5]) {
    const info = errorInfo(code);
    assert.equal(info.code, code);
    assert.equal(info.name, "UNKNOWN_ERROR_CODE");
    assert.equal(info.retriable, false);
    assert.match(info.message, new RegExp(`unknown.*${code}`, "i"));
    assert.equal(errorName(code), "UNKNOWN_ERROR_CODE");
    assert.equal(isRetriable(code), false);
    assert.equal(isKnownErrorCode(code), false);
  }
  assert.ok(!Object.hasOwn(ErrorCode, "UNKNOWN_ERROR_CODE"));
});
