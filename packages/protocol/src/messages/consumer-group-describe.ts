// ConsumerGroupDescribe (key 69), the consumer group protocol's counterpart of DescribeGroups
// (KIP-848), flexible from v0. v1 adds each member's type, classic or consumer (KIP-1099).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

/** Kafka's common struct Assignment, used for the current and the target assignment. */
const assignmentFields = [
  {
    name: "topicPartitions",
    type: "[]",
    struct: "TopicPartitions",
    versions: "0+",
    about: "The assigned partitions per topic.",
    fields: [
      { name: "topicId", type: "uuid", versions: "0+", about: "The topic id." },
      {
        name: "topicName",
        type: "string",
        versions: "0+",
        entityType: "topicName",
        about: "The topic name.",
      },
      { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes." },
    ],
  },
] as const;

export const ConsumerGroupDescribe = defineApi({
  name: "ConsumerGroupDescribe",
  apiKey: 69,
  validVersions: "0-1",
  flexibleVersions: "0+",
  request: {
    name: "ConsumerGroupDescribeRequest",
    fields: [
      {
        name: "groupIds",
        type: "[]string",
        versions: "0+",
        entityType: "groupId",
        about: "The ids of the groups to describe.",
      },
      {
        name: "includeAuthorizedOperations",
        type: "bool",
        versions: "0+",
        about: "Whether to return the authorized operations.",
      },
    ],
  },
  response: {
    name: "ConsumerGroupDescribeResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "groups",
        type: "[]",
        struct: "DescribedGroup",
        versions: "0+",
        about: "One entry per requested group.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            default: null,
            about: "The error message, or null.",
          },
          { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
          { name: "groupState", type: "string", versions: "0+", about: "The group state, or empty." },
          { name: "groupEpoch", type: "int32", versions: "0+", about: "The group epoch." },
          { name: "assignmentEpoch", type: "int32", versions: "0+", about: "The assignment epoch." },
          { name: "assignorName", type: "string", versions: "0+", about: "The assignor in use." },
          {
            name: "members",
            type: "[]",
            struct: "Member",
            versions: "0+",
            about: "The group members.",
            fields: [
              { name: "memberId", type: "string", versions: "0+", about: "The member id." },
              {
                name: "instanceId",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                about: "The member's instance id, or null.",
              },
              {
                name: "rackId",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                about: "The member's rack id, or null.",
              },
              { name: "memberEpoch", type: "int32", versions: "0+", about: "The member's current epoch." },
              { name: "clientId", type: "string", versions: "0+", about: "The client id." },
              { name: "clientHost", type: "string", versions: "0+", about: "The client host." },
              {
                name: "subscribedTopicNames",
                type: "[]string",
                versions: "0+",
                entityType: "topicName",
                about: "The topics the member subscribes to.",
              },
              {
                name: "subscribedTopicRegex",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                about: "The subscription regular expression, or null.",
              },
              {
                name: "assignment",
                type: "{}",
                struct: "Assignment",
                versions: "0+",
                about: "The member's current assignment.",
                fields: assignmentFields,
              },
              {
                name: "targetAssignment",
                type: "{}",
                struct: "Assignment",
                versions: "0+",
                about: "The member's target assignment.",
                fields: assignmentFields,
              },
              {
                name: "memberType",
                type: "int8",
                versions: "1+",
                default: -1,
                about: "The member type: -1 unknown, 0 classic, 1 consumer.",
              },
            ],
          },
          {
            name: "authorizedOperations",
            type: "int32",
            versions: "0+",
            default: -2147483648,
            about: "Bit field of the operations allowed on the group.",
          },
        ],
      },
    ],
  },
});

export type ConsumerGroupDescribeRequest = RequestValue<typeof ConsumerGroupDescribe>;
export type ConsumerGroupDescribeResponse = ResponseValue<typeof ConsumerGroupDescribe>;
export type ConsumerGroupDescribeRequestInput = RequestInput<typeof ConsumerGroupDescribe>;
export type ConsumerGroupDescribeResponseInput = ResponseInput<typeof ConsumerGroupDescribe>;
