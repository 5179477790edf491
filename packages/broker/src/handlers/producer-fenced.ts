// PRODUCER_FENCED (KIP-588) exists only from certain API versions on; older clients get
// INVALID_PRODUCER_EPOCH instead, as Kafka answers them.

import { ErrorCode } from "@nagare/protocol";

export function fencedForVersion(errorCode: number, apiVersion: number, fencedSince: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < fencedSince
    ? ErrorCode.INVALID_PRODUCER_EPOCH
    : errorCode;
}
