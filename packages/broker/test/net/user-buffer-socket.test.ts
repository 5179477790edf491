// An accepted connection handed to a socket that reads into our buffers: every byte arrives in the
// buffer we chose, writes still work, and the server learns when the connection closed (close()
// waits for it). A socket that already reads is left alone.

import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { test } from "node:test";
import { adoptWithUserBuffer } from "../../src/net/user-buffer-socket.ts";

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  assert.ok(address && typeof address === "object");
  return address.port;
}

test("reads land in the buffer we hand out, replies go back, and server.close completes", async () => {
  const ours = Buffer.alloc(1000);
  let received = 0;
  let foreignBuffers = 0;
  const peers: (string | undefined)[] = [];
  const server = createServer({ pauseOnConnect: true }, (accepted) => {
    const socket = adoptWithUserBuffer(accepted, {
      buffer: () => ours,
      callback: (nread, buffer) => {
        if (buffer !== ours) foreignBuffers++;
        received += nread;
        return true;
      },
    });
    assert.ok(socket, "a paused TCP socket can be adopted");
    peers.push(socket.remoteAddress);
    socket.on("end", () => socket.end(String(received)));
  });
  const port = await listen(server);
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const payload = Buffer.alloc(300_000, 9);
  client.end(payload);
  let reply = "";
  client.on("data", (chunk: Buffer) => {
    reply += chunk.toString();
  });
  await once(client, "close");
  assert.equal(reply, String(payload.length));
  assert.equal(received, payload.length);
  assert.equal(foreignBuffers, 0);
  await new Promise<void>((resolve) => server.close(() => resolve())); // hangs if the count is off
  assert.deepEqual(peers, ["127.0.0.1"]);
});

test("a socket that is already reading is not adopted", async () => {
  let result: Socket | undefined | "unset" = "unset";
  const server = createServer((accepted) => {
    result = adoptWithUserBuffer(accepted, { buffer: Buffer.alloc(10), callback: () => true });
    accepted.destroy();
  });
  const port = await listen(server);
  const client = connect(port, "127.0.0.1");
  client.on("error", () => undefined);
  await once(client, "close");
  assert.equal(result, undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
