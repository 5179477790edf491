// A TCP proxy between Kafka clients and a test broker that injects one network fault: a Produce
// request reaches the broker, but its response is dropped and the client's connection closed — the
// case an idempotent producer exists for (the batch is in the log; the client cannot know, and
// retries it). Start the broker with `advertised.listeners` pointing at the proxy so clients keep
// talking through it after their metadata request. 127.0.0.1 only.
//
//   const proxy = await startFaultProxy();
//   const broker = await startBroker({ config: { "advertised.listeners": `PLAINTEXT://127.0.0.1:${proxy.port}` } });
//   proxy.target = broker.port;
//   proxy.dropProduceResponse(2);        // the 2nd Produce request from now on

import { createServer, type Server, Socket } from "node:net";
import { FrameSplitter, Produce, peekRequestHeader } from "@nagare/protocol";

const maxFrameBytes = 1 << 27;

export interface DroppedResponse {
  readonly clientId: number;
  readonly correlationId: number;
  readonly apiVersion: number;
}

export interface FaultProxy {
  readonly port: number;
  /** The broker port connections are forwarded to; set it before the first client connects. */
  target: number | undefined;
  /**
   * Arms the fault: the `nth` Produce request counted from now (1 = the next) is forwarded to the
   * broker; when the broker's response to it arrives, the response is discarded and both sides of
   * that connection are closed.
   */
  dropProduceResponse(nth?: number): void;
  /** Produce requests seen, in total. */
  readonly produceRequests: number;
  /** The responses dropped so far. */
  readonly dropped: readonly DroppedResponse[];
  close(): Promise<void>;
}

function frame(payload: Buffer): Buffer {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

export async function startFaultProxy(): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let produceRequests = 0;
  /** Produce requests still to pass before the one whose response is dropped (0 = disarmed). */
  let countdown = 0;
  const dropped: DroppedResponse[] = [];
  let nextClient = 0;
  let target: number | undefined;

  const server: Server = createServer((client) => {
    const clientId = nextClient++;
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    client.once("close", closeBoth);
    upstream.once("close", closeBoth);
    upstream.connect(target, "127.0.0.1");

    /** The request whose response is dropped on this connection, once chosen. */
    let doomed: { correlationId: number; apiVersion: number } | undefined;
    const requests = new FrameSplitter({ maxFrameBytes });
    client.on("data", (chunk: Buffer) => {
      // Requests go through byte for byte; the splitter only looks at them.
      upstream.write(chunk);
      for (const payload of requests.push(chunk)) {
        const header = peekRequestHeader(payload);
        if (header.apiKey !== Produce.apiKey) continue;
        produceRequests++;
        if (countdown > 0 && --countdown === 0)
          doomed = { correlationId: header.correlationId, apiVersion: header.apiVersion };
      }
    });
    const responses = new FrameSplitter({ maxFrameBytes });
    upstream.on("data", (chunk: Buffer) => {
      for (const payload of responses.push(chunk)) {
        if (client.destroyed) return;
        const correlationId = payload.readInt32BE(0);
        if (doomed !== undefined && correlationId === doomed.correlationId) {
          dropped.push({ clientId, ...doomed });
          closeBoth();
          return;
        }
        client.write(frame(payload));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");

  return {
    port: address.port,
    get target() {
      return target;
    },
    set target(port: number | undefined) {
      target = port;
    },
    dropProduceResponse(nth = 1) {
      countdown = nth;
    },
    get produceRequests() {
      return produceRequests;
    },
    dropped,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
