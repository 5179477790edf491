// AlterReplicaLogDirs (key 34). Moves replicas between the log directories of one broker (KIP-113).
// v1 changes nothing on the wire, the broker now answers before applying a quota throttle
// (KIP-219); v2 is the first flexible version (KIP-482). v0 is deprecated and gone from Kafka 4.0
// brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AlterReplicaLogDirs = defineApi({
  name: "AlterReplicaLogDirs",
  apiKey: 34,
  validVersions: "0-2",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "AlterReplicaLogDirsRequest",
    fields: [
      {
        name: "dirs",
        type: "[]",
        struct: "AlterReplicaLogDir",
        versions: "0+",
        about: "The replicas to move, per destination directory.",
        fields: [
          { name: "path", type: "string", versions: "0+", about: "The absolute path of the directory." },
          {
            name: "topics",
            type: "[]",
            struct: "AlterReplicaLogDirTopic",
            versions: "0+",
            about: "The topics to move into the directory.",
            fields: [
              {
                name: "name",
                type: "string",
                versions: "0+",
                entityType: "topicName",
                about: "The topic name.",
              },
              { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes." },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "AlterReplicaLogDirsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "AlterReplicaLogDirTopicResult",
        versions: "0+",
        about: "The results per topic.",
        fields: [
          {
            name: "topicName",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitions",
            type: "[]",
            struct: "AlterReplicaLogDirPartitionResult",
            versions: "0+",
            about: "The results per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
            ],
          },
        ],
      },
    ],
  },
});

export type AlterReplicaLogDirsRequest = RequestValue<typeof AlterReplicaLogDirs>;
export type AlterReplicaLogDirsResponse = ResponseValue<typeof AlterReplicaLogDirs>;
export type AlterReplicaLogDirsRequestInput = RequestInput<typeof AlterReplicaLogDirs>;
export type AlterReplicaLogDirsResponseInput = ResponseInput<typeof AlterReplicaLogDirs>;
