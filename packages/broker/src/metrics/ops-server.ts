// The operations HTTP server (node:http), on `nagare.http.listener`:
//   GET /metrics  Prometheus text format (BrokerMetrics.scrape)
//   GET /health   200 while the process serves HTTP at all (liveness)
//   GET /ready    200 once the broker has started and no data directory is offline, else 503
//                 with the reason (readiness: take the broker out of rotation)
// HEAD is answered like GET without a body; other methods get 405, other paths 404.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { HttpListenerSpec } from "../config/http-listener.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";

export interface Readiness {
  readonly ready: boolean;
  /** Why not ready (or "ready"). */
  readonly reason: string;
}

export interface OpsServerOptions {
  readonly metrics: BrokerMetrics;
  readonly readiness: () => Readiness;
  /** Called when a scrape fails (the client gets 500). */
  readonly onError: (error: unknown) => void;
}

export class OpsServer {
  /** `http://host:port` with the port actually bound. */
  readonly url: string;
  private readonly server: Server;

  private constructor(server: Server, url: string) {
    this.server = server;
    this.url = url;
  }

  /** Binds the server; rejects (EADDRINUSE …) with a message naming the config to change. */
  static async listen(spec: HttpListenerSpec, options: OpsServerOptions): Promise<OpsServer> {
    const server = createServer((request, response) => {
      handle(request, response, options).catch((error: unknown) => {
        options.onError(error);
        if (!response.headersSent) send(response, request, 500, "text/plain", "scrape failed\n");
        else response.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: Error) =>
        reject(
          new Error(
            `cannot listen on nagare.http.listener http://${spec.host}:${spec.port} (${error.message}); ` +
              "set nagare.http.listener to another http://host:port, or to none to disable it",
          ),
        ),
      );
      server.listen(spec.port, spec.host === "" ? undefined : spec.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : spec.port;
    const host = spec.host === "" ? "localhost" : spec.host.includes(":") ? `[${spec.host}]` : spec.host;
    return new OpsServer(server, `http://${host}:${port}`);
  }

  /** Stops listening and drops open (keep-alive) connections; in-flight scrapes are cut short. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function handle(request: IncomingMessage, response: ServerResponse, options: OpsServerOptions) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    send(response, request, 405, "text/plain", "method not allowed\n");
    return;
  }
  const path = (request.url ?? "/").split("?")[0];
  switch (path) {
    case "/metrics": {
      const body = await options.metrics.scrape();
      send(response, request, 200, options.metrics.contentType, body);
      return;
    }
    case "/health":
      send(response, request, 200, "text/plain", "ok\n");
      return;
    case "/ready": {
      const { ready, reason } = options.readiness();
      send(response, request, ready ? 200 : 503, "text/plain", `${reason}\n`);
      return;
    }
    default:
      send(response, request, 404, "text/plain", "not found: try /metrics, /health or /ready\n");
  }
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  status: number,
  type: string,
  body: string,
) {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(request.method === "HEAD" ? undefined : body);
}
