// Shared test helpers: a seeded random source (failures reproduce) and assertions on CodecError.

import assert from "node:assert/strict";
import { CodecError, type CodecErrorCode } from "../../src/codec/codec-error.ts";

export interface Random {
  /** Integer in [0, max). */
  int(max: number): number;
  bytes(length: number): Buffer;
  /** Bytes from a small alphabet, so codecs find something to compress. */
  compressibleBytes(length: number): Buffer;
}

/** xorshift32; deterministic for a given seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    int: (max) => next() % max,
    bytes: (length) => {
      const out = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
    compressibleBytes: (length) => {
      const out = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) out[i] = 0x61 + (next() % 4);
      return out;
    },
  };
}

/** Runs `fn` and asserts it throws a CodecError (with `code`, when given). */
export function assertCodecError(fn: () => unknown, code?: CodecErrorCode, context = ""): CodecError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected a CodecError${code ? ` ${code}` : ""} ${context}`);
  assert.ok(thrown instanceof CodecError, `expected CodecError, got ${String(thrown)} ${context}`);
  if (code !== undefined) assert.equal(thrown.code, code, `${thrown.message} ${context}`);
  return thrown;
}

/** Runs `fn`; passes when it returns or throws a CodecError, fails on any other exception. */
export function assertOnlyCodecError(fn: () => unknown, context = ""): void {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CodecError, `expected only CodecError, got ${String(error)} ${context}`);
  }
}
