// DeleteTopics (key 20). v1 adds throttle time to the response; v2 responds before throttling; v3
// may return TOPIC_DELETION_DISABLED; v4 is the first flexible version; v5 adds per-topic error
// messages and may return THROTTLING_QUOTA_EXCEEDED (KIP-599); v6 names topics by name or id,
// replacing the plain name list (KIP-516). Kafka 4 removed v0 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DeleteTopics = defineApi({
  name: "DeleteTopics",
  apiKey: 20,
  validVersions: "0-6",
  deprecatedVersions: "0",
  flexibleVersions: "4+",
  request: {
    name: "DeleteTopicsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "DeleteTopicState",
        versions: "6+",
        about: "The topics to delete, each by name or id.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "6+",
            nullableVersions: "6+",
            default: null,
            entityType: "topicName",
            about: "The topic name, or null when deleting by id.",
          },
          {
            name: "topicId",
            type: "uuid",
            versions: "6+",
            about: "The topic id, or zero when deleting by name.",
          },
        ],
      },
      {
        name: "topicNames",
        type: "[]string",
        versions: "0-5",
        entityType: "topicName",
        about: "The names of the topics to delete.",
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        about: "How long to wait for the deletions to complete, in ms.",
      },
    ],
  },
  response: {
    name: "DeleteTopicsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      {
        name: "responses",
        type: "[]",
        struct: "DeletableTopicResult",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0+",
            nullableVersions: "6+",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "6+", about: "The topic id." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The deletion error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "5+",
            nullableVersions: "5+",
            default: null,
            about: "The error message, or null.",
          },
        ],
      },
    ],
  },
});

export type DeleteTopicsRequest = RequestValue<typeof DeleteTopics>;
export type DeleteTopicsResponse = ResponseValue<typeof DeleteTopics>;
export type DeleteTopicsRequestInput = RequestInput<typeof DeleteTopics>;
export type DeleteTopicsResponseInput = ResponseInput<typeof DeleteTopics>;
