// The client's errors. A broker's error code becomes a KafkaProtocolError carrying the code, its
// Kafka name and whether retrying can help; network failures and timeouts are retriable too.

import { errorInfo } from "@nagare/protocol";

export class KafkaClientError extends Error {
  /** Retrying the operation (after a metadata refresh or a backoff) may succeed. */
  readonly retriable: boolean;

  constructor(message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KafkaClientError";
    this.retriable = retriable;
  }
}

export class KafkaProtocolError extends KafkaClientError {
  readonly code: number;
  /** Kafka's name for the code, e.g. NOT_LEADER_OR_FOLLOWER. */
  readonly type: string;

  constructor(code: number, context?: string) {
    const info = errorInfo(code);
    super(`${context ? `${context}: ` : ""}${info.name}: ${info.message}`, info.retriable);
    this.name = "KafkaProtocolError";
    this.code = code;
    this.type = info.name;
  }
}

export class KafkaConnectionError extends KafkaClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, true, options);
    this.name = "KafkaConnectionError";
  }
}

export class KafkaTimeoutError extends KafkaClientError {
  constructor(message: string) {
    super(message, true);
    this.name = "KafkaTimeoutError";
  }
}

/** Throws a KafkaProtocolError unless `code` is NONE. */
export function throwIfError(code: number, context?: string): void {
  if (code !== 0) throw new KafkaProtocolError(code, context);
}
