// One TCP connection to one broker: ApiVersions negotiation on connect (the highest version both
// sides know is used per API), pipelined requests matched to responses by correlation id, a
// timeout per request, and a clean failure of every outstanding request when the socket closes.
// The broker answers in request order; a request that expects no response (Produce acks=0)
// resolves as soon as it is written.

import { connect, type Socket } from "node:net";
import {
  type ApiDecl,
  ApiVersions,
  apiByKey,
  decodeResponse,
  encodeRequest,
  FrameReader,
  type RequestInput,
  type ResponseValue,
} from "@nagare/protocol";
import { KafkaConnectionError, KafkaProtocolError, KafkaTimeoutError } from "../errors.ts";

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface ConnectionOptions extends BrokerAddress {
  readonly clientId: string;
  /** Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Default 30 s (Kafka's request.timeout.ms). */
  readonly requestTimeoutMs?: number;
  /** Largest response accepted (default 256 MiB). */
  readonly maxResponseBytes?: number;
}

export interface SendOptions {
  /** A specific version (default: the highest both sides support). */
  readonly version?: number;
  readonly timeoutMs?: number;
}

interface Pending {
  readonly api: ApiDecl;
  readonly version: number;
  readonly resolve: (frame: Buffer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const clientApiVersionsVersion = 3;

export class BrokerConnection {
  readonly address: BrokerAddress;
  private readonly socket: Socket;
  private readonly options: ConnectionOptions;
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  /** api key → [min, max] the broker supports. */
  private brokerVersions = new Map<number, readonly [number, number]>();
  private closedError: Error | undefined;
  private readonly closeListeners: ((error: Error) => void)[] = [];

  private constructor(socket: Socket, options: ConnectionOptions) {
    this.socket = socket;
    this.options = options;
    this.address = { host: options.host, port: options.port };
    socket.setNoDelay(true);
    socket.on("error", (error) =>
      this.fail(new KafkaConnectionError(`${this.describe()}: ${error.message}`, { cause: error })),
    );
    socket.on("close", () => this.fail(new KafkaConnectionError(`${this.describe()}: connection closed`)));
  }

  /** Connects and negotiates API versions. */
  static async connect(options: ConnectionOptions): Promise<BrokerConnection> {
    // The socket reads into the frame reader's buffers (no 'data' events); frames go to the
    // connection once it exists (the broker sends nothing before our first request).
    let connection: BrokerConnection | undefined;
    const reader = new FrameReader({
      maxFrameBytes: options.maxResponseBytes ?? 256 * 1024 * 1024,
      onFrame: (frame) => connection?.onFrame(frame),
    });
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({
        host: options.host,
        port: options.port,
        onread: {
          buffer: () => reader.nextBuffer(),
          callback: (nread, buffer) => {
            try {
              reader.onRead(nread, buffer);
            } catch (error) {
              connection?.fail(new KafkaConnectionError(`${connection.describe()}: ${String(error)}`));
              s.destroy();
            }
            return true;
          },
        },
      });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new KafkaConnectionError(`connecting to ${options.host}:${options.port} timed out`));
      }, options.connectTimeoutMs ?? 10_000);
      s.once("connect", () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once("error", (error) => {
        clearTimeout(timer);
        reject(
          new KafkaConnectionError(`connecting to ${options.host}:${options.port}: ${error.message}`, {
            cause: error,
          }),
        );
      });
    });
    connection = new BrokerConnection(socket, options);
    try {
      await connection.negotiate();
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  private describe(): string {
    return `broker ${this.options.host}:${this.options.port}`;
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  onClose(listener: (error: Error) => void): void {
    if (this.closedError) listener(this.closedError);
    else this.closeListeners.push(listener);
  }

  /**
   * ApiVersions at our newest version. A broker that predates it answers UNSUPPORTED_VERSION —
   * in a v0 body (Kafka) or in the requested version's format (librdkafka's mock cluster) — and
   * is asked again with v0, which every broker answers.
   */
  private async negotiate(): Promise<void> {
    const body = { clientSoftwareName: "nagare", clientSoftwareVersion: "0.1.0" };
    const frame = await this.roundTrip(ApiVersions, clientApiVersionsVersion, body, undefined, true);
    const errorCode = frame.length >= 6 ? frame.readInt16BE(4) : -1;
    const response =
      errorCode === 0
        ? decodeResponse(ApiVersions, clientApiVersionsVersion, frame, { allowTrailingBytes: true }).body
        : await this.send(ApiVersions, {}, { version: 0 });
    if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, "ApiVersions");
    this.brokerVersions = new Map(
      response.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion] as const]),
    );
  }

  /** The highest version of `api` both sides support (capped at `max`), or undefined. */
  versionFor(api: ApiDecl, max = Number.POSITIVE_INFINITY): number | undefined {
    const range = this.brokerVersions.get(api.apiKey);
    const ours = ourRange(api);
    if (!range || !ours) return undefined;
    const high = Math.min(range[1], ours[1], max);
    const low = Math.max(range[0], ours[0]);
    return high >= low ? high : undefined;
  }

  supports(api: ApiDecl): boolean {
    return this.versionFor(api) !== undefined;
  }

  async send<A extends ApiDecl>(
    api: A,
    body: RequestInput<A>,
    options: SendOptions = {},
  ): Promise<ResponseValue<A>> {
    const version = options.version ?? this.versionFor(api);
    if (version === undefined)
      throw new KafkaProtocolError(35, `${this.describe()} does not support ${api.name}`); // UNSUPPORTED_VERSION
    const frame = await this.roundTrip(api, version, body, options.timeoutMs, true);
    // Bytes after the fields we know are ignored, as the Java client does (see decodeResponse).
    return decodeResponse(api, version, frame, { allowTrailingBytes: true }).body;
  }

  /** Sends a request the broker will not answer (Produce with acks=0). */
  async sendOnly<A extends ApiDecl>(api: A, body: RequestInput<A>, options: SendOptions = {}): Promise<void> {
    const version = options.version ?? this.versionFor(api);
    if (version === undefined)
      throw new KafkaProtocolError(35, `${this.describe()} does not support ${api.name}`);
    await this.roundTrip(api, version, body, options.timeoutMs, false);
  }

  private roundTrip<A extends ApiDecl>(
    api: A,
    version: number,
    body: RequestInput<A>,
    timeoutMs: number | undefined,
    expectResponse: boolean,
  ): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    const chunks = encodeRequest(
      api,
      { apiVersion: version, correlationId, clientId: this.options.clientId },
      body,
    );
    return new Promise<Buffer>((resolve, reject) => {
      if (expectResponse) {
        const timer = setTimeout(
          () => {
            this.pending.delete(correlationId);
            reject(new KafkaTimeoutError(`${api.name} to ${this.describe()} timed out`));
            // A timed-out request leaves the stream in an unknown state (Kafka clients disconnect too).
            this.socket.destroy();
          },
          timeoutMs ?? this.options.requestTimeoutMs ?? 30_000,
        );
        this.pending.set(correlationId, { api, version, resolve, reject, timer });
      }
      this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
      if (!expectResponse) resolve(Buffer.alloc(0));
    });
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    const pending = this.pending.get(correlationId);
    if (!pending) return; // a response to a request that already timed out
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    pending.resolve(frame);
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }

  close(): void {
    this.fail(new KafkaConnectionError(`${this.describe()}: closed by the client`));
    this.socket.destroy();
  }
}

/** The versions our codec declares for `api`. */
function ourRange(api: ApiDecl): readonly [number, number] | undefined {
  const decl = apiByKey(api.apiKey);
  if (!decl) return undefined;
  const [low, high] = decl.validVersions.split("-").map(Number);
  return [low ?? 0, high ?? low ?? 0];
}
