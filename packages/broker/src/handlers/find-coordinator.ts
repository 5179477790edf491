// FindCoordinator (key 10), v0–6: where a group's coordinator is — on one node, always here.
//
// Behaviour (Kafka's KafkaApis.getCoordinator):
// - key type 0 (group) and 1 (transaction): creates __consumer_offsets / __transaction_state on
//   first use (offsets.topic.num.partitions / transaction.state.log.num.partitions, compacted),
//   then answers this broker's advertised address for the listener the request came in on. A
//   failed creation answers COORDINATOR_NOT_AVAILABLE (clients retry).
// - v0–3 carry one key; v4+ a batch (coordinatorKeys), each answered separately.
// - key type 2 (share groups, KIP-932) and any other type answer INVALID_REQUEST.

import { ErrorCode, FindCoordinator, type FindCoordinatorResponseInput } from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { advertisedBroker } from "./metadata.ts";

interface Answer {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

const groupKeyType = 0;
const transactionKeyType = 1;

function refused(errorCode: number, errorMessage: string | null): Answer {
  return { errorCode, errorMessage, nodeId: -1, host: "", port: -1 };
}

async function coordinatorFor(keyType: number, ctx: RequestContext): Promise<Answer> {
  const { groups, transactions } = ctx.services;
  const stateTopic =
    keyType === groupKeyType ? groups.topic : keyType === transactionKeyType ? transactions.topic : undefined;
  if (!stateTopic) return refused(ErrorCode.INVALID_REQUEST, `unsupported key type ${keyType}`);
  try {
    await stateTopic.ensureCreated();
  } catch (error) {
    ctx.services.logger.warn({ error: String(error) }, "creating a coordinator's internal topic failed");
    return refused(ErrorCode.COORDINATOR_NOT_AVAILABLE, null);
  }
  const broker = advertisedBroker(ctx.services, ctx.connection.listenerName);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    nodeId: ctx.services.metadata.nodeId,
    host: broker.host ?? "",
    port: broker.port ?? -1,
  };
}

function single(answer: Answer): FindCoordinatorResponseInput {
  return { throttleTimeMs: 0, ...answer, coordinators: [] };
}

export const findCoordinatorHandler = defineHandler({
  api: FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    if (ctx.apiVersion < 4) return single(await coordinatorFor(request.keyType, ctx));
    const coordinators = [];
    for (const key of request.coordinatorKeys)
      coordinators.push({ key, ...(await coordinatorFor(request.keyType, ctx)) });
    return { throttleTimeMs: 0, coordinators };
  },
  errorResponse: (request, errorCode, ctx) =>
    ctx.apiVersion < 4
      ? single(refused(errorCode, null))
      : {
          throttleTimeMs: 0,
          coordinators: request.coordinatorKeys.map((key) => ({ key, ...refused(errorCode, null) })),
        },
});
