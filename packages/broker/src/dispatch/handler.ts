// The contract of one API handler: the versions it serves, an async function from the decoded
// request to the response value, and the response to send when the request fails as a whole.
// Handlers do I/O only through the context; they never throw on client input (errors are codes in
// the response); anything they do throw becomes UNKNOWN_SERVER_ERROR via `errorResponse`.

import type { ApiDecl, RequestHeader, RequestValue, ResponseInput } from "@nagare/protocol";
import type { BrokerServices } from "../broker-services.ts";

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly listenerName: string;
}

export interface RequestContext {
  readonly header: RequestHeader;
  readonly apiVersion: number;
  readonly connection: ConnectionInfo;
  readonly services: BrokerServices;
  /**
   * Where Fetch reads record bytes: pooled buffers the connection gives back once the response is
   * written (net/connection.ts), so nothing may keep them past the response. Default: fresh buffers.
   */
  readonly allocateRecords?: (bytes: number) => Buffer;
}

export interface Handler<A extends ApiDecl = ApiDecl> {
  readonly api: A;
  /** Advertised in ApiVersions. */
  readonly minVersion: number;
  readonly maxVersion: number;
  /**
   * Versions in [minVersion, acceptedFrom) are advertised but answered with UNSUPPORTED_VERSION —
   * Kafka 4 does this for Produce v0-2, because librdkafka only enables v2 record batches and
   * compression when the advertised Produce range starts low enough.
   */
  readonly acceptedFrom?: number;
  /** Returns the response, or undefined to send none (Produce with acks=0). */
  handle(request: RequestValue<A>, ctx: RequestContext): Promise<ResponseInput<A> | undefined>;
  /** The response carrying `errorCode` for every part of `request` (whole-request failures). */
  errorResponse(request: RequestValue<A>, errorCode: number, ctx: RequestContext): ResponseInput<A>;
}

/** Keeps the handler's literal API type for inference of request and response types. */
export function defineHandler<A extends ApiDecl>(handler: Handler<A>): Handler<A> {
  return handler;
}

/**
 * A handler as the registry holds it: the API-specific request/response types are checked where the
 * handler is defined; the dispatcher only pairs a handler with requests of its own API.
 */
export function registered<A extends ApiDecl>(handler: Handler<A>): Handler {
  return handler as unknown as Handler;
}
