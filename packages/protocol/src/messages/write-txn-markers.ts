// WriteTxnMarkers (key 27), sent by the transaction coordinator to partition leaders to write
// commit/abort markers. v1 is the first flexible version (KIP-482); v2 adds each marker's
// transaction version, so leaders can apply the transactions v2 epoch rules (KIP-1228, Kafka 4.2;
// the response is unchanged). v0 is gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const WriteTxnMarkers = defineApi({
  name: "WriteTxnMarkers",
  apiKey: 27,
  validVersions: "0-2",
  deprecatedVersions: "0",
  flexibleVersions: "1+",
  request: {
    name: "WriteTxnMarkersRequest",
    fields: [
      {
        name: "markers",
        type: "[]",
        struct: "WritableTxnMarker",
        versions: "0+",
        about: "The transaction markers to write.",
        fields: [
          {
            name: "producerId",
            type: "int64",
            versions: "0+",
            entityType: "producerId",
            about: "The producer id of the transaction.",
          },
          {
            name: "producerEpoch",
            type: "int16",
            versions: "0+",
            about: "The epoch that goes with the producer id.",
          },
          {
            name: "transactionResult",
            type: "bool",
            versions: "0+",
            about: "The outcome to write: true to commit, false to abort.",
          },
          {
            name: "topics",
            type: "[]",
            struct: "WritableTxnMarkerTopic",
            versions: "0+",
            about: "The partitions to write the marker to, by topic.",
            fields: [
              {
                name: "name",
                type: "string",
                versions: "0+",
                entityType: "topicName",
                about: "The topic name.",
              },
              {
                name: "partitionIndexes",
                type: "[]int32",
                versions: "0+",
                about: "The partition indexes to write the marker to.",
              },
            ],
          },
          {
            name: "coordinatorEpoch",
            type: "int32",
            versions: "0+",
            about: "The epoch of the transaction state partition the coordinator owns.",
          },
          {
            name: "transactionVersion",
            type: "int8",
            versions: "2+",
            about: "The transaction version of the marker: 0 or 1 for the legacy protocol, 2 for v2.",
          },
        ],
      },
    ],
  },
  response: {
    name: "WriteTxnMarkersResponse",
    fields: [
      {
        name: "markers",
        type: "[]",
        struct: "WritableTxnMarkerResult",
        versions: "0+",
        about: "The results, by marker.",
        fields: [
          {
            name: "producerId",
            type: "int64",
            versions: "0+",
            entityType: "producerId",
            about: "The producer id of the marker.",
          },
          {
            name: "topics",
            type: "[]",
            struct: "WritableTxnMarkerTopicResult",
            versions: "0+",
            about: "The results, by topic.",
            fields: [
              {
                name: "name",
                type: "string",
                versions: "0+",
                entityType: "topicName",
                about: "The topic name.",
              },
              {
                name: "partitions",
                type: "[]",
                struct: "WritableTxnMarkerPartitionResult",
                versions: "0+",
                about: "The results, by partition.",
                fields: [
                  { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
                  {
                    name: "errorCode",
                    type: "int16",
                    versions: "0+",
                    about: "The error code, or 0 on success.",
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
});

export type WriteTxnMarkersRequest = RequestValue<typeof WriteTxnMarkers>;
export type WriteTxnMarkersResponse = ResponseValue<typeof WriteTxnMarkers>;
export type WriteTxnMarkersRequestInput = RequestInput<typeof WriteTxnMarkers>;
export type WriteTxnMarkersResponseInput = ResponseInput<typeof WriteTxnMarkers>;
