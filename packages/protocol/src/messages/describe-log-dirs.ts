// DescribeLogDirs (key 35), introduced with JBOD support (KIP-113). v1 is unchanged on the wire
// but the response is sent before throttling; v2 is the first flexible version; v3 adds a
// top-level error code to the response; v4 adds the volume's total and usable bytes (KIP-827).
// Kafka 4 removed v0 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeLogDirs = defineApi({
  name: "DescribeLogDirs",
  apiKey: 35,
  validVersions: "0-4",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "DescribeLogDirsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "DescribableLogDirTopic",
        versions: "0+",
        nullableVersions: "0+",
        about: "The topics to describe, or null for all of them.",
        fields: [
          {
            name: "topic",
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
  response: {
    name: "DescribeLogDirsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "3+", about: "The top-level error code, or 0." },
      {
        name: "results",
        type: "[]",
        struct: "DescribeLogDirsResult",
        versions: "0+",
        about: "One entry per log directory.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The directory's error code, or 0." },
          { name: "logDir", type: "string", versions: "0+", about: "The absolute path of the directory." },
          {
            name: "topics",
            type: "[]",
            struct: "DescribeLogDirsTopic",
            versions: "0+",
            about: "The topics stored in the directory.",
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
                struct: "DescribeLogDirsPartition",
                versions: "0+",
                about: "The topic's partitions in the directory.",
                fields: [
                  { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
                  {
                    name: "partitionSize",
                    type: "int64",
                    versions: "0+",
                    about: "Size of the partition's log segments, in bytes.",
                  },
                  {
                    name: "offsetLag",
                    type: "int64",
                    versions: "0+",
                    about:
                      "How far the log end offset trails the HW (or, for a future log, the current log).",
                  },
                  {
                    name: "isFutureKey",
                    type: "bool",
                    versions: "0+",
                    about: "Whether this is a future log that will replace the current one.",
                  },
                ],
              },
            ],
          },
          {
            name: "totalBytes",
            type: "int64",
            versions: "4+",
            default: -1n,
            about: "Total size of the directory's volume, in bytes.",
          },
          {
            name: "usableBytes",
            type: "int64",
            versions: "4+",
            default: -1n,
            about: "Usable size of the directory's volume, in bytes.",
          },
        ],
      },
    ],
  },
});

export type DescribeLogDirsRequest = RequestValue<typeof DescribeLogDirs>;
export type DescribeLogDirsResponse = ResponseValue<typeof DescribeLogDirs>;
export type DescribeLogDirsRequestInput = RequestInput<typeof DescribeLogDirs>;
export type DescribeLogDirsResponseInput = ResponseInput<typeof DescribeLogDirs>;
