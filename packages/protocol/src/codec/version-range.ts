// Kafka's version-range notation: "0+", "3-5", "7", "none".

import { CodecError } from "./codec-error.ts";

export interface VersionSpan {
  readonly min: number;
  /** Inclusive; `Infinity` for open ranges ("3+"), -1 for "none". */
  readonly max: number;
}

const cache = new Map<string, VersionSpan>();

export function parseVersionRange(range: string): VersionSpan {
  const cached = cache.get(range);
  if (cached) return cached;
  let span: VersionSpan;
  const match = /^(\d+)(?:(\+)|-(\d+))?$/.exec(range);
  if (range === "none") span = { min: 0, max: -1 };
  else if (!match) throw new CodecError("INVALID_VALUE", `not a version range: "${range}"`);
  else if (match[2]) span = { min: Number(match[1]), max: Number.POSITIVE_INFINITY };
  else if (match[3] !== undefined) span = { min: Number(match[1]), max: Number(match[3]) };
  else span = { min: Number(match[1]), max: Number(match[1]) };
  cache.set(range, span);
  return span;
}

export function inVersionRange(range: string | undefined, version: number): boolean {
  if (range === undefined) return false;
  const { min, max } = parseVersionRange(range);
  return version >= min && version <= max;
}
