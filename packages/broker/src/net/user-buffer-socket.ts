// Reads of an accepted connection into buffers the broker chooses (net's `onread`), which Node
// offers only for sockets it creates itself, not for those a server accepts. With 'data' events
// every read is a new 64 KiB ArrayBuffer: at 50 MB/s of produce traffic that external memory made
// V8 run a full Mark-Compact every ~80 ms, the broker's main source of 10–30 ms stalls
// (`--trace-gc` during `BENCH_BROKER_ONLY=latency npm run bench:broker`; bench/RESULTS.md, Broker).
//
// So the accepted socket (from a server with pauseOnConnect, before it ever read) gives its libuv
// handle to a new Socket built with `onread`; Node's own constructor accepts a `handle` option, but
// the accepted socket's `_handle` field is internal, hence the checks and the fallback: when the
// handle is not there or cannot read into user buffers, the caller keeps 'data' events. The
// accepted socket is destroyed (it no longer owns the handle) when the new one closes, which is
// how the server learns the connection ended (server.close waits for that).

import { type OnReadOpts, Socket } from "node:net";

interface WithHandle {
  _handle?: { useUserBuffer?: unknown } | null;
}

/** A socket that reads through `onread`, owning `accepted`'s handle; undefined when not possible. */
export function adoptWithUserBuffer(accepted: Socket, onread: OnReadOpts): Socket | undefined {
  const internal = accepted as unknown as WithHandle;
  const handle = internal._handle;
  if (!handle || typeof handle.useUserBuffer !== "function" || !accepted.isPaused()) return undefined;
  internal._handle = null;
  const socket = new Socket({ handle, readable: true, writable: true, onread } as ConstructorParameters<
    typeof Socket
  >[0]);
  socket.once("close", () => accepted.destroy());
  return socket;
}
