// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of RecordBatch v2.
// `crc32c` uses the native @node-rs/crc32 binding when it loads and otherwise the slice-by-8
// implementation below. Both take an optional running CRC so a checksum can be computed over
// several pieces: crc32c(b, crc32c(a)) === crc32c(a ‖ b).

import { loadOptionalNativeModule } from "./native-module.ts";

export type Crc32cFunction = (data: Uint8Array, previous?: number) => number;

const POLYNOMIAL = 0x82f63b78;

let tables: Uint32Array | undefined;

/**
 * Eight 256-entry tables: table 0 is the classic byte-at-a-time table; table k gives the CRC
 * contribution of a byte followed by k zero bytes, which lets the loop fold 8 bytes per step.
 */
function slicingTables(): Uint32Array {
  if (tables !== undefined) return tables;
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n] as number;
      t[k * 256 + n] = ((prev >>> 8) ^ (t[prev & 0xff] as number)) >>> 0;
    }
  }
  tables = t;
  return t;
}

/** Pure TypeScript slice-by-8 CRC-32C; the fallback when the native module is unavailable. */
export function crc32cSoftware(data: Uint8Array, previous = 0): number {
  const t = slicingTables();
  let crc = ~previous >>> 0;
  const length = data.length;
  let i = 0;
  const fastEnd = length - (length % 8);
  while (i < fastEnd) {
    const lo =
      (crc ^
        ((data[i] as number) |
          ((data[i + 1] as number) << 8) |
          ((data[i + 2] as number) << 16) |
          ((data[i + 3] as number) << 24))) >>>
      0;
    const hi =
      ((data[i + 4] as number) |
        ((data[i + 5] as number) << 8) |
        ((data[i + 6] as number) << 16) |
        ((data[i + 7] as number) << 24)) >>>
      0;
    crc =
      (t[1792 + (lo & 0xff)] as number) ^
      (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (hi & 0xff)] as number) ^
      (t[512 + ((hi >>> 8) & 0xff)] as number) ^
      (t[256 + ((hi >>> 16) & 0xff)] as number) ^
      (t[hi >>> 24] as number);
    i += 8;
  }
  while (i < length) {
    crc = (t[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}

interface NativeCrc32Module {
  crc32c(input: Uint8Array, initialState?: number | null): number;
}

const nativeModule = loadOptionalNativeModule<NativeCrc32Module>("@node-rs/crc32");

/** The native implementation, or null when @node-rs/crc32 could not be loaded on this platform. */
export const crc32cNative: Crc32cFunction | null =
  nativeModule === null ? null : (data, previous = 0) => nativeModule.crc32c(data, previous) >>> 0;

/** CRC-32C of `data` (continuing from `previous`), native when available. */
export const crc32c: Crc32cFunction = crc32cNative ?? crc32cSoftware;
