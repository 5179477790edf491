// Metadata (key 3), v0–13.
//
// Behaviour:
// - Brokers: this node only, with the advertised host:port of the listener the request came in on
//   (an empty advertised host means this machine's host name). The controller is this node (v1+);
//   the cluster id comes from meta.properties (v2+).
// - Topics: v0 treats an empty list as "all topics"; from v1 a null list means all and an empty one
//   none. Duplicates are answered once, in request order; "all topics" are sorted by name.
// - Every partition is led by this node: replicas = ISR = [node], offline replicas empty, the
//   leader epoch from the partition (v7+). A partition whose log is not open (offline data dir)
//   answers LEADER_NOT_AVAILABLE with no leader.
// - Auto-creation when `auto.create.topics.enable` and the request's allowAutoTopicCreation (v4+;
//   always true below v4) both allow it and specific topics were asked for, with `num.partitions`
//   partitions. Kafka answers LEADER_NOT_AVAILABLE while its controller creates the topic; here the
//   topic and its logs exist before we answer, so the response carries the new topic in full and
//   clients need no second round trip. Illegal names answer INVALID_TOPIC_EXCEPTION, unknown topics
//   that may not be created UNKNOWN_TOPIC_OR_PARTITION. Internal topics (__consumer_offsets,
//   __transaction_state) are never auto-created here: their coordinators create them.
// - Topic ids (v10+); lookup by topic id (v12+), UNKNOWN_TOPIC_ID for an unknown id; v10–11
//   requests carrying a null name or an id are INVALID_REQUEST, as in Kafka.
// - Authorized operations (v8+): no ACLs yet, so when asked for, every operation Kafka supports on
//   a topic (and on the cluster, v8–10) is reported as allowed.
//
// Not implemented: racks (always null), LISTENER_NOT_FOUND (one node serves every listener),
// throttling.

import { hostname } from "node:os";
import { ErrorCode, Metadata, type MetadataRequest, type MetadataResponseInput } from "@nagare/protocol";
import type { BrokerServices } from "../broker-services.ts";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { zeroUuid } from "../metadata/ids.ts";
import { MetadataError } from "../metadata/metadata-error.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import {
  createTopicWithLogs,
  invalidTopicNameReason,
  isInternalTopic,
  validateNewTopicName,
} from "../metadata/topic-validation.ts";

type ResponseTopic = NonNullable<MetadataResponseInput["topics"]>[number];
type ResponseBroker = NonNullable<MetadataResponseInput["brokers"]>[number];

/** The schema's "not requested" value for authorized operations. */
export const operationsNotRequested = -2147483648;
// Bit per AclOperation: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8,
// CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
const bits = (ops: number[]) => ops.reduce((acc, op) => acc | (1 << op), 0);
export const allTopicOperations = bits([3, 4, 5, 6, 7, 8, 10, 11]);
export const allClusterOperations = bits([5, 7, 8, 9, 10, 11, 12]);

/** This node as the request's listener advertises it. */
export function advertisedBroker(services: BrokerServices, listenerName: string): ResponseBroker {
  const listeners = services.config.advertisedListeners;
  const listener = listeners.find((l) => l.name === listenerName) ?? listeners[0];
  return {
    nodeId: services.metadata.nodeId,
    host: listener && listener.host !== "" ? listener.host : hostname(),
    port: listener?.port ?? 0,
    rack: null,
  };
}

function describeTopic(topic: TopicMetadata, services: BrokerServices, operations: number): ResponseTopic {
  const node = services.metadata.nodeId;
  const partitions = [];
  for (let index = 0; index < topic.partitions; index++) {
    const partition = services.replicas.partition(topic.name, index);
    partitions.push(
      partition
        ? {
            errorCode: ErrorCode.NONE,
            partitionIndex: index,
            leaderId: node,
            leaderEpoch: partition.leaderEpoch,
            replicaNodes: [node],
            isrNodes: [node],
            offlineReplicas: [],
          }
        : {
            errorCode: ErrorCode.LEADER_NOT_AVAILABLE,
            partitionIndex: index,
            leaderId: -1,
            leaderEpoch: -1,
            replicaNodes: [node],
            isrNodes: [],
            offlineReplicas: [node],
          },
    );
  }
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.internal,
    partitions,
    topicAuthorizedOperations: operations,
  };
}

function topicError(errorCode: number, name: string | null, topicId = zeroUuid): ResponseTopic {
  return { errorCode, name, topicId, isInternal: name !== null && isInternalTopic(name), partitions: [] };
}

/** A topic asked for by name: described, auto-created, or answered with why not. */
async function topicByName(
  name: string,
  ctx: RequestContext,
  allowCreate: boolean,
  ops: number,
): Promise<ResponseTopic> {
  const { services } = ctx;
  const existing = services.metadata.topic(name);
  if (existing) return describeTopic(existing, services, ops);
  if (invalidTopicNameReason(name)) return topicError(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  if (!allowCreate || isInternalTopic(name)) return topicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
  if (validateNewTopicName(name, services.metadata))
    return topicError(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  try {
    const created = await createTopicWithLogs(services, name, services.config.numPartitions, {});
    return describeTopic(created, services, ops);
  } catch (error) {
    // Another request created it meanwhile: describe what is there.
    const now = services.metadata.topic(name);
    if (error instanceof MetadataError && error.code === "TOPIC_ALREADY_EXISTS" && now)
      return describeTopic(now, services, ops);
    services.logger.warn({ topic: name, err: error }, "auto-creating a topic failed");
    return topicError(ErrorCode.LEADER_NOT_AVAILABLE, name);
  }
}

/** As Kafka's MetadataRequest.getErrorResponse: every requested topic carries the error. */
function errorResponse(
  request: MetadataRequest,
  errorCode: number,
  ctx: RequestContext,
): MetadataResponseInput {
  return {
    brokers: [],
    clusterId: ctx.services.clusterId,
    controllerId: ctx.services.metadata.nodeId,
    topics: (request.topics ?? []).map((t) =>
      topicError(errorCode, t.name ?? (ctx.apiVersion >= 12 ? null : ""), t.topicId),
    ),
  };
}

export const metadataHandler = defineHandler({
  api: Metadata,
  minVersion: 0,
  maxVersion: 13,
  handle: async (request, ctx) => {
    const { services, apiVersion } = ctx;
    const wanted = request.topics;
    const ops = request.includeTopicAuthorizedOperations ? allTopicOperations : operationsNotRequested;
    const topics: ResponseTopic[] = [];
    // KIP-4: v0 asked for all topics with an empty list; v1+ with null.
    if (wanted === null || (apiVersion === 0 && wanted.length === 0)) {
      const all = [...services.metadata.topics()].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const topic of all) topics.push(describeTopic(topic, services, ops));
    } else {
      // Lookup by id arrived in v12; v10-11 carry the fields but Kafka refuses them there.
      if (apiVersion < 12 && wanted.some((t) => t.name === null || t.topicId !== zeroUuid))
        return errorResponse(request, ErrorCode.INVALID_REQUEST, ctx);
      const allowCreate = services.config.autoCreateTopics && request.allowAutoTopicCreation;
      const seen = new Set<string>();
      for (const { name, topicId } of wanted) {
        if (topicId !== zeroUuid) {
          const topic = services.metadata.topicById(topicId);
          if (!topic) topics.push(topicError(ErrorCode.UNKNOWN_TOPIC_ID, null, topicId));
          else if (!seen.has(topic.name)) topics.push(describeTopic(topic, services, ops));
          if (topic) seen.add(topic.name);
          continue;
        }
        if (name === null || seen.has(name)) continue;
        seen.add(name);
        topics.push(await topicByName(name, ctx, allowCreate, ops));
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: [advertisedBroker(services, ctx.connection.listenerName)],
      clusterId: services.clusterId,
      controllerId: services.metadata.nodeId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? allClusterOperations
        : operationsNotRequested,
      errorCode: ErrorCode.NONE,
    };
  },
  errorResponse,
});
