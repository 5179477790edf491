// The frame reader, fed as net's onread would: it picks each read's buffer, the
// "socket" fills at most that much, and whole frames come out however the bytes were cut.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FrameReader } from "../../src/codec/frame-reader.ts";

function framed(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

/** Delivers `stream` in reads of at most `cut` bytes into the buffers the reader asks for. */
function feed(reader: FrameReader, stream: Buffer, cut: number): void {
  let at = 0;
  while (at < stream.length) {
    const target = reader.nextBuffer();
    const n = Math.min(cut, target.length, stream.length - at);
    stream.copy(target, 0, at, at + n);
    at += n;
    reader.onRead(n, target);
  }
}

test("frames of every size come out whole, however the stream is cut", () => {
  const payloads = [Buffer.from("tiny"), Buffer.alloc(0), Buffer.alloc(300_000, 7), Buffer.from("after")];
  payloads[2]?.writeInt32BE(42, 0);
  const stream = Buffer.concat(payloads.map(framed));
  for (const cut of [1, 3, 4, 5, 1000, 65_536, stream.length]) {
    const frames: Buffer[] = [];
    feed(new FrameReader({ maxFrameBytes: 1 << 20, onFrame: (f) => frames.push(f) }), stream, cut);
    assert.deepEqual(frames, payloads, `reads of ${cut} bytes`);
  }
});

test("a large frame is read straight into its own buffer", () => {
  const reader = new FrameReader({ maxFrameBytes: 1 << 20, onFrame: () => undefined });
  feed(reader, framed(Buffer.alloc(200_000)).subarray(0, 100), 100);
  assert.equal(reader.nextBuffer().length, 200_000 - 96, "the rest of the frame, not the scratch buffer");
});

test("a size outside [0, maxFrameBytes] is rejected before the frame is buffered", () => {
  const reader = new FrameReader({ maxFrameBytes: 1000, onFrame: () => undefined });
  assert.throws(() => feed(reader, framed(Buffer.alloc(1001)).subarray(0, 4), 4), {
    code: "FRAME_TOO_LARGE",
  });
});

test("push (for 'data' events) gives the same frames, in buffers from allocate", () => {
  const payloads = [Buffer.from("a"), Buffer.alloc(70_000, 3), Buffer.from("bc")];
  const stream = Buffer.concat(payloads.map(framed));
  const allocated: number[] = [];
  const frames: Buffer[] = [];
  const reader = new FrameReader({
    maxFrameBytes: 1 << 20,
    onFrame: (f) => frames.push(f),
    allocate: (bytes) => {
      allocated.push(bytes);
      return Buffer.allocUnsafe(bytes);
    },
  });
  for (let at = 0; at < stream.length; at += 7000) reader.push(stream.subarray(at, at + 7000));
  assert.deepEqual(frames, payloads);
  assert.deepEqual(allocated, [1, 70_000, 2]);
});
