// One client connection: frames in (size-checked before buffering), requests dispatched as they
// arrive (pipelining), responses written strictly in request order. Backpressure: reading stops
// while too many requests are in flight or too many response bytes wait in the socket, and resumes
// when they drain. Idle connections are closed after connections.max.idle.ms. Any bad input closes
// this connection only.
//
// The socket reads into a FrameReader's buffers (net/user-buffer-socket.ts): the size prefix and
// small frames into a reused scratch buffer, the rest of a large frame straight into its own
// buffer from the dispatcher's pool (net/buffer-pool.ts). A Produce frame goes back once its
// request was answered: the handler appends the record bytes and keeps none of them. Other APIs
// may keep slices of their request (e.g. group member metadata), so their frames are left to the GC.
// Fetch reads its records into pooled buffers too; they go back once the response is written.

import type { Socket } from "node:net";
import { CodecError, Fetch, FrameReader, Produce } from "@nagare/protocol";
import type { Dispatcher } from "../dispatch/dispatcher.ts";
import type { ConnectionInfo } from "../dispatch/handler.ts";
import type { Logger, RateLimitedLog } from "../logger.ts";
import { adoptWithUserBuffer } from "./user-buffer-socket.ts";

export interface ConnectionOptions {
  readonly info: ConnectionInfo;
  readonly maxRequestBytes: number;
  readonly idleMs: number;
  /** Requests dispatched but not yet answered before reading pauses. */
  readonly maxInFlight: number;
  /** Response bytes queued in the socket before reading pauses. */
  readonly maxPendingResponseBytes: number;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly badInputLog: RateLimitedLog;
  readonly clock: () => number;
  readonly onClose: (connection: Connection) => void;
}

interface Slot {
  done: boolean;
  chunks: Buffer[] | null;
  /** Fetch responses: their record bytes are pooled (RequestContext.allocateRecords). */
  pooledResponse: boolean;
}

export class Connection {
  readonly info: ConnectionInfo;
  private readonly socket: Socket;
  private readonly options: ConnectionOptions;
  private readonly slots: Slot[] = [];
  private readingPaused = false;
  private closing = false;
  private drained: (() => void) | undefined;

  /** `accepted` comes from a server with pauseOnConnect: it has not read anything yet. */
  constructor(accepted: Socket, options: ConnectionOptions) {
    this.options = options;
    this.info = options.info;
    const reader = new FrameReader({
      maxFrameBytes: options.maxRequestBytes,
      allocate: options.dispatcher.buffers.allocate,
      onFrame: (frame) => this.dispatch(frame),
    });
    const adopted = adoptWithUserBuffer(accepted, {
      buffer: () => reader.nextBuffer(),
      callback: (nread, buffer) => {
        this.read(() => reader.onRead(nread, buffer));
        return true;
      },
    });
    const socket = adopted ?? accepted;
    this.socket = socket;
    if (!adopted) {
      socket.on("data", (chunk: Buffer) => this.read(() => reader.push(chunk)));
      socket.resume();
    }
    socket.setNoDelay(true);
    socket.setTimeout(options.idleMs, () =>
      this.reject("idle", "connection idle beyond connections.max.idle.ms"),
    );
    socket.on("drain", () => this.maybeResume());
    socket.on("error", () => undefined); // reported through 'close'
    socket.on("close", () => {
      this.closing = true;
      this.drained?.();
      options.onClose(this);
    });
  }

  /** Feeds received bytes to the reader (which dispatches whole frames); a bad size closes. */
  private read(feed: () => void): void {
    if (this.closing) return;
    try {
      feed();
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      this.reject("bad frame", error.message);
    }
  }

  private dispatch(frame: Buffer): void {
    if (this.closing) return;
    // The api key is the frame's first int16 (request header, every version).
    const apiKey = frame.length >= 2 ? frame.readInt16BE(0) : -1;
    const pooledFrame = apiKey === Produce.apiKey;
    const slot: Slot = { done: false, chunks: null, pooledResponse: apiKey === Fetch.apiKey };
    this.slots.push(slot);
    this.options.dispatcher.handle(frame, this.info).then(
      (chunks) => {
        if (pooledFrame) this.options.dispatcher.buffers.release(frame);
        slot.chunks = chunks;
        slot.done = true;
        this.writeReady();
      },
      (error: unknown) => {
        if (error instanceof CodecError) this.reject("bad request", `${error.code}: ${error.message}`);
        else {
          this.options.logger.error({ connection: this.info.id, err: error }, "unexpected dispatch failure");
          this.socket.destroy();
        }
      },
    );
    if (this.slots.length >= this.options.maxInFlight) this.pauseReading();
  }

  /** Writes every finished response at the head of the queue, in request order. */
  private writeReady(): void {
    if (this.socket.destroyed) return;
    let wrote = false;
    while (this.slots.length > 0 && (this.slots[0] as Slot).done) {
      const slot = this.slots.shift() as Slot;
      if (!slot.chunks) continue;
      if (!wrote) this.socket.cork();
      wrote = true;
      const chunks = slot.chunks;
      // Once the last chunk's write completes (or fails) the kernel has every byte: the pool may
      // lend the buffers again.
      const release = slot.pooledResponse ? () => this.releaseAll(chunks) : undefined;
      for (let i = 0; i < chunks.length; i++)
        this.socket.write(chunks[i] as Buffer, i === chunks.length - 1 ? release : undefined);
    }
    if (wrote) this.socket.uncork();
    if (this.socket.writableLength > this.options.maxPendingResponseBytes) this.pauseReading();
    else this.maybeResume();
    if (this.slots.length === 0) this.drained?.();
  }

  private releaseAll(chunks: readonly Buffer[]): void {
    const pool = this.options.dispatcher.buffers;
    for (const chunk of chunks) pool.release(chunk);
  }

  private pauseReading(): void {
    if (!this.readingPaused) {
      this.readingPaused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (
      this.readingPaused &&
      !this.closing &&
      this.slots.length < this.options.maxInFlight &&
      this.socket.writableLength <= this.options.maxPendingResponseBytes
    ) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  private reject(kind: string, detail: string): void {
    this.options.badInputLog.warn(
      this.options.clock(),
      { connection: this.info.id, remote: this.info.remoteAddress, listener: this.info.listenerName, detail },
      `closing connection: ${kind}`,
    );
    this.socket.destroy();
  }

  /** Graceful close: stop reading, answer what is in flight, then end the socket. */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.socket.pause();
    if (this.slots.length > 0 && !this.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.socket.end();
    this.socket.destroySoon();
  }
}
