// DeleteRecords (key 21). v1 is unchanged on the wire but the response is sent before throttling;
// v2 is the first flexible version.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DeleteRecords = defineApi({
  name: "DeleteRecords",
  apiKey: 21,
  validVersions: "0-2",
  flexibleVersions: "2+",
  request: {
    name: "DeleteRecordsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "DeleteRecordsTopic",
        versions: "0+",
        about: "The topics to delete records from.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "DeleteRecordsPartition",
            versions: "0+",
            about: "The partitions to delete records from.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "offset",
                type: "int64",
                versions: "0+",
                about: "Delete records before this offset (-1 for the high watermark).",
              },
            ],
          },
        ],
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        about: "How long to wait for the deletion to complete, in ms.",
      },
    ],
  },
  response: {
    name: "DeleteRecordsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "DeleteRecordsTopicResult",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "DeleteRecordsPartitionResult",
            versions: "0+",
            about: "One result per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "lowWatermark",
                type: "int64",
                versions: "0+",
                about: "The partition's new low watermark.",
              },
              { name: "errorCode", type: "int16", versions: "0+", about: "The deletion error code, or 0." },
            ],
          },
        ],
      },
    ],
  },
});

export type DeleteRecordsRequest = RequestValue<typeof DeleteRecords>;
export type DeleteRecordsResponse = ResponseValue<typeof DeleteRecords>;
export type DeleteRecordsRequestInput = RequestInput<typeof DeleteRecords>;
export type DeleteRecordsResponseInput = ResponseInput<typeof DeleteRecords>;
