// Turns one request frame into its response frame: header → handler → version checks → decode →
// handle → encode. The error boundary of the broker:
// - bytes that cannot be a request (truncated header, unknown api key, a body that fails to decode,
//   a version outside what our codec knows) → CodecError, and the connection is closed;
// - ApiVersions above our maximum → UNSUPPORTED_VERSION with our list in a v0 body (KIP-511), never
//   a disconnect;
// - other versions we decode but do not serve → the handler's error response with
//   UNSUPPORTED_VERSION;
// - a handler that throws → UNKNOWN_SERVER_ERROR, logged with the correlation id.

import type { ApiDecl, RequestValue, ResponseInput } from "@nagare/protocol";
import {
  ApiVersions,
  apiCodec,
  CodecError,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  peekRequestHeader,
} from "@nagare/protocol";
import type { BrokerServices } from "../broker-services.ts";
import { BufferPool } from "../net/buffer-pool.ts";
import type { ConnectionInfo, Handler, RequestContext } from "./handler.ts";

/** One answered request, as metrics see it (`response` undefined: none was sent, Produce acks=0). */
export interface RequestEvent {
  readonly api: string;
  readonly apiVersion: number;
  readonly durationSeconds: number;
  readonly request: unknown;
  readonly response: unknown;
}

/** Sees every request that got past decoding (metrics/broker-metrics.ts); must not throw. */
export interface RequestObserver {
  onRequest(event: RequestEvent): void;
}

export class Dispatcher {
  /** Request frames and Fetch reads, shared by every connection of this broker (see net/connection.ts). */
  readonly buffers = new BufferPool();
  private readonly services: BrokerServices;
  private readonly observer: RequestObserver | undefined;

  constructor(services: BrokerServices, observer?: RequestObserver) {
    this.services = services;
    this.observer = observer;
  }

  /**
   * Handles one frame (without its size prefix). Resolves to the framed response chunks, or null
   * when no response is due (Produce acks=0). Rejects with CodecError when the connection must close.
   */
  async handle(frame: Buffer, connection: ConnectionInfo): Promise<Buffer[] | null> {
    const started = performance.now();
    const { apiKey, apiVersion, correlationId } = peekRequestHeader(frame);
    const handler = this.services.registry.get(apiKey);
    if (!handler) throw new CodecError("UNKNOWN_API", `api key ${apiKey} is not served`);
    if (apiKey === ApiVersions.apiKey && apiVersion > handler.maxVersion) {
      return encodeResponse(
        ApiVersions,
        0,
        { correlationId },
        {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: this.services.registry.advertised(),
        },
      );
    }
    const codec = apiCodec(handler.api as ApiDecl);
    if (apiVersion < codec.minVersion || apiVersion > codec.maxVersion)
      throw new CodecError(
        "UNSUPPORTED_VERSION",
        `${handler.api.name} v${apiVersion} is unknown to this broker`,
      );
    const { header, body } = decodeRequest(frame, () => handler.api);
    const ctx: RequestContext = {
      header,
      apiVersion,
      connection,
      services: this.services,
      allocateRecords: this.buffers.allocate,
    };
    const response = await this.respond(handler, body, ctx);
    const durationSeconds = (performance.now() - started) / 1000;
    this.observer?.onRequest({ api: handler.api.name, apiVersion, durationSeconds, request: body, response });
    if (response === undefined) return null;
    return encodeResponse(handler.api as ApiDecl, apiVersion, { correlationId }, response);
  }

  private async respond(
    handler: Handler,
    body: RequestValue<ApiDecl>,
    ctx: RequestContext,
  ): Promise<ResponseInput<ApiDecl> | undefined> {
    const version = ctx.apiVersion;
    if (
      version < handler.minVersion ||
      version > handler.maxVersion ||
      version < (handler.acceptedFrom ?? 0)
    ) {
      return handler.errorResponse(body, ErrorCode.UNSUPPORTED_VERSION, ctx);
    }
    try {
      return await handler.handle(body, ctx);
    } catch (error) {
      this.services.logger.error(
        {
          api: handler.api.name,
          apiVersion: version,
          correlationId: ctx.header.correlationId,
          clientId: ctx.header.clientId,
          err: error,
        },
        "request failed; answered UNKNOWN_SERVER_ERROR",
      );
      return handler.errorResponse(body, ErrorCode.UNKNOWN_SERVER_ERROR, ctx);
    }
  }
}
