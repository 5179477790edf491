// The TCP listeners from `listeners`: one server each, connections tracked for graceful shutdown.
// Accepted sockets start paused: a Connection moves their handle to a socket that reads into its
// own buffers before anything is read (net/user-buffer-socket.ts).

import { createServer, type Server, type Socket } from "node:net";
import type { ListenerSpec } from "../config/listeners.ts";
import { Connection, type ConnectionOptions } from "./connection.ts";

export interface BoundListener {
  readonly spec: ListenerSpec;
  /** The port actually bound (differs from spec.port when it was 0). */
  readonly port: number;
}

type ConnectionFactory = (
  socket: Socket,
  listener: ListenerSpec,
  id: number,
) => Omit<ConnectionOptions, "onClose" | "info"> | undefined;

export class Listeners {
  private readonly servers: { server: Server; spec: ListenerSpec }[] = [];
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private accepting = true;

  /** Binds every listener; `factory` gives the options for each accepted connection. */
  async bind(specs: readonly ListenerSpec[], factory: ConnectionFactory): Promise<BoundListener[]> {
    const bound: BoundListener[] = [];
    for (const spec of specs) {
      const server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) =>
        this.accept(socket, spec, factory),
      );
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(spec.port, spec.host === "" ? undefined : spec.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : spec.port;
      this.servers.push({ server, spec });
      bound.push({ spec, port });
    }
    return bound;
  }

  private accept(socket: Socket, spec: ListenerSpec, factory: ConnectionFactory): void {
    const id = this.nextId++;
    const options = this.accepting ? factory(socket, spec, id) : undefined;
    if (!options) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, {
      ...options,
      info: {
        id,
        remoteAddress: `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? 0}`,
        listenerName: spec.name,
      },
      onClose: (c) => this.connections.delete(c),
    });
    this.connections.add(connection);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, lets in-flight requests finish (bounded), closes every connection. */
  async close(graceMs: number): Promise<void> {
    this.accepting = false;
    const closed = this.servers.map(
      ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    await Promise.all([...this.connections].map((c) => c.close(graceMs)));
    await Promise.all(closed);
  }
}
