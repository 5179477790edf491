// Fetch (key 1). v1 adds throttle time to the response; v2 requires message format v1; v3 adds
// the request-level MaxBytes and processes partitions in request order (KIP-74); v4 adds the
// isolation level and aborted transactions (message format v2); v5 adds log start offsets
// (KIP-107); v6 may return KAFKA_STORAGE_ERROR; v7 adds incremental fetch sessions (KIP-227); v8
// responds before throttling; v9 adds the current leader epoch (KIP-320); v10 allows zstd
// (KIP-110); v11 adds the rack id and the preferred read replica (KIP-392); v12 is the first
// flexible version, with the last fetched epoch and the diverging epoch, current leader and
// snapshot id tagged fields (KIP-595); v13 addresses topics by id (KIP-516); v14 may return
// OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405); v15 moves the replica id into the tagged ReplicaState
// (KIP-903); v16 adds node endpoints to the response (KIP-951); v17 adds the follower's directory
// id (KIP-853); v18 adds the follower's high watermark (KIP-1166). Kafka 4 removed v0-v3 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const Fetch = defineApi({
  name: "Fetch",
  apiKey: 1,
  validVersions: "0-18",
  deprecatedVersions: "0-3",
  flexibleVersions: "12+",
  request: {
    name: "FetchRequest",
    fields: [
      {
        name: "clusterId",
        type: "string",
        versions: "12+",
        nullableVersions: "12+",
        taggedVersions: "12+",
        tag: 0,
        default: null,
        about: "The cluster id, if known, checked by the receiver.",
      },
      {
        name: "replicaId",
        type: "int32",
        versions: "0-14",
        default: -1,
        entityType: "brokerId",
        about: "The follower's broker id, or -1 for a consumer.",
      },
      {
        name: "replicaState",
        type: "{}",
        struct: "ReplicaState",
        versions: "15+",
        taggedVersions: "15+",
        tag: 1,
        about: "The fetching follower's identity (replaces replicaId).",
        fields: [
          {
            name: "replicaId",
            type: "int32",
            versions: "15+",
            default: -1,
            entityType: "brokerId",
            about: "The follower's replica id, or -1 for a consumer.",
          },
          {
            name: "replicaEpoch",
            type: "int64",
            versions: "15+",
            default: -1n,
            about: "The follower's broker epoch, or -1 if unknown.",
          },
        ],
      },
      { name: "maxWaitMs", type: "int32", versions: "0+", about: "Longest time to wait for data, in ms." },
      { name: "minBytes", type: "int32", versions: "0+", about: "Bytes to accumulate before responding." },
      {
        name: "maxBytes",
        type: "int32",
        versions: "3+",
        default: 0x7fffffff,
        about: "Upper bound on the response size (may be exceeded, KIP-74).",
      },
      {
        name: "isolationLevel",
        type: "int8",
        versions: "4+",
        about: "0 reads uncommitted, 1 reads committed records only.",
      },
      { name: "sessionId", type: "int32", versions: "7+", about: "The fetch session id." },
      {
        name: "sessionEpoch",
        type: "int32",
        versions: "7+",
        default: -1,
        about: "The fetch session epoch, ordering requests within a session.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "FetchTopic",
        versions: "0+",
        about: "The topics to fetch.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0-12",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "13+", about: "The topic id." },
          {
            name: "partitions",
            type: "[]",
            struct: "FetchPartition",
            versions: "0+",
            about: "The partitions to fetch.",
            fields: [
              { name: "partition", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "currentLeaderEpoch",
                type: "int32",
                versions: "9+",
                default: -1,
                about: "The leader epoch known to the fetcher, or -1.",
              },
              { name: "fetchOffset", type: "int64", versions: "0+", about: "The offset to fetch from." },
              {
                name: "lastFetchedEpoch",
                type: "int32",
                versions: "12+",
                default: -1,
                about: "Epoch of the last fetched record, or -1.",
              },
              {
                name: "logStartOffset",
                type: "int64",
                versions: "5+",
                default: -1n,
                about: "The follower's log start offset (followers only).",
              },
              {
                name: "partitionMaxBytes",
                type: "int32",
                versions: "0+",
                about: "Upper bound on this partition's data (may be exceeded, KIP-74).",
              },
              {
                name: "replicaDirectoryId",
                type: "uuid",
                versions: "17+",
                taggedVersions: "17+",
                tag: 0,
                about: "The fetching follower's log directory id.",
              },
              {
                name: "highWatermark",
                type: "int64",
                versions: "18+",
                taggedVersions: "18+",
                tag: 1,
                default: 9223372036854775807n,
                about: "The follower's high watermark; -1 if unknown, max int64 if unsupported.",
              },
            ],
          },
        ],
      },
      {
        name: "forgottenTopicsData",
        type: "[]",
        struct: "ForgottenTopic",
        versions: "7+",
        about: "Partitions to drop from an incremental fetch session.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "7-12",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "13+", about: "The topic id." },
          { name: "partitions", type: "[]int32", versions: "7+", about: "The partition indexes to forget." },
        ],
      },
      { name: "rackId", type: "string", versions: "11+", about: "The rack of the fetching consumer." },
    ],
  },
  response: {
    name: "FetchResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "7+", about: "The top-level error code." },
      {
        name: "sessionId",
        type: "int32",
        versions: "7+",
        about: "The fetch session id, or 0 without a session.",
      },
      {
        name: "responses",
        type: "[]",
        struct: "FetchableTopicResponse",
        versions: "0+",
        about: "The fetched topics.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0-12",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "13+", about: "The topic id." },
          {
            name: "partitions",
            type: "[]",
            struct: "PartitionData",
            versions: "0+",
            about: "The fetched partitions.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The fetch error code, or 0." },
              { name: "highWatermark", type: "int64", versions: "0+", about: "The current high watermark." },
              {
                name: "lastStableOffset",
                type: "int64",
                versions: "4+",
                default: -1n,
                about: "The last stable offset (all earlier transactions decided).",
              },
              {
                name: "logStartOffset",
                type: "int64",
                versions: "5+",
                default: -1n,
                about: "The current log start offset.",
              },
              {
                name: "divergingEpoch",
                type: "{}",
                struct: "EpochEndOffset",
                versions: "12+",
                taggedVersions: "12+",
                tag: 0,
                about: "Largest epoch and end offset before the fetcher's log diverges.",
                fields: [
                  { name: "epoch", type: "int32", versions: "12+", default: -1, about: "The epoch." },
                  {
                    name: "endOffset",
                    type: "int64",
                    versions: "12+",
                    default: -1n,
                    about: "The epoch's end offset.",
                  },
                ],
              },
              {
                name: "currentLeader",
                type: "{}",
                struct: "LeaderIdAndEpoch",
                versions: "12+",
                taggedVersions: "12+",
                tag: 1,
                about: "The current leader, when the fetcher's view is stale.",
                fields: [
                  {
                    name: "leaderId",
                    type: "int32",
                    versions: "12+",
                    default: -1,
                    entityType: "brokerId",
                    about: "The leader's id, or -1 if unknown.",
                  },
                  {
                    name: "leaderEpoch",
                    type: "int32",
                    versions: "12+",
                    default: -1,
                    about: "The leader epoch, or -1 if unknown.",
                  },
                ],
              },
              {
                name: "snapshotId",
                type: "{}",
                struct: "SnapshotId",
                versions: "12+",
                taggedVersions: "12+",
                tag: 2,
                about: "Snapshot to fetch instead when the offset precedes the log start.",
                fields: [
                  {
                    name: "endOffset",
                    type: "int64",
                    versions: "0+",
                    default: -1n,
                    about: "The snapshot's end offset.",
                  },
                  {
                    name: "epoch",
                    type: "int32",
                    versions: "0+",
                    default: -1,
                    about: "The snapshot's epoch.",
                  },
                ],
              },
              {
                name: "abortedTransactions",
                type: "[]",
                struct: "AbortedTransaction",
                versions: "4+",
                nullableVersions: "4+",
                about: "Aborted transactions in the returned range (read committed).",
                fields: [
                  {
                    name: "producerId",
                    type: "int64",
                    versions: "4+",
                    entityType: "producerId",
                    about: "The producer id of the aborted transaction.",
                  },
                  {
                    name: "firstOffset",
                    type: "int64",
                    versions: "4+",
                    about: "The first offset of the aborted transaction.",
                  },
                ],
              },
              {
                name: "preferredReadReplica",
                type: "int32",
                versions: "11+",
                default: -1,
                entityType: "brokerId",
                about: "The replica the consumer should fetch from next, or -1.",
              },
              {
                name: "records",
                type: "records",
                versions: "0+",
                nullableVersions: "0+",
                about: "The record batches (the last one may be partial).",
              },
            ],
          },
        ],
      },
      {
        name: "nodeEndpoints",
        type: "[]",
        struct: "NodeEndpoint",
        versions: "16+",
        taggedVersions: "16+",
        tag: 0,
        about: "Endpoints of the leaders named in currentLeader.",
        fields: [
          { name: "nodeId", type: "int32", versions: "16+", entityType: "brokerId", about: "The node id." },
          { name: "host", type: "string", versions: "16+", about: "The node's host name." },
          { name: "port", type: "int32", versions: "16+", about: "The node's port." },
          {
            name: "rack",
            type: "string",
            versions: "16+",
            nullableVersions: "16+",
            default: null,
            about: "The node's rack, or null.",
          },
        ],
      },
    ],
  },
});

export type FetchRequest = RequestValue<typeof Fetch>;
export type FetchResponse = ResponseValue<typeof Fetch>;
export type FetchRequestInput = RequestInput<typeof Fetch>;
export type FetchResponseInput = ResponseInput<typeof Fetch>;
