// DescribeGroups (key 15). v1 adds throttle time to the response; v2 throttles after answering
// (KIP-219); v3 can return the authorized operations on each group (KIP-430); v4 returns the
// members' group instance ids (KIP-345); v5 is the first flexible version (KIP-482); v6 reports an
// unknown group as GROUP_ID_NOT_FOUND with an error message (KIP-1043).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeGroups = defineApi({
  name: "DescribeGroups",
  apiKey: 15,
  validVersions: "0-6",
  flexibleVersions: "5+",
  request: {
    name: "DescribeGroupsRequest",
    fields: [
      {
        name: "groups",
        type: "[]string",
        versions: "0+",
        entityType: "groupId",
        about: "The ids of the groups to describe.",
      },
      {
        name: "includeAuthorizedOperations",
        type: "bool",
        versions: "3+",
        about: "Whether to return the authorized operations.",
      },
    ],
  },
  response: {
    name: "DescribeGroupsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
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
            versions: "6+",
            nullableVersions: "6+",
            default: null,
            about: "The error message, or null.",
          },
          { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
          { name: "groupState", type: "string", versions: "0+", about: "The group state, or empty." },
          { name: "protocolType", type: "string", versions: "0+", about: "The protocol type, or empty." },
          {
            name: "protocolData",
            type: "string",
            versions: "0+",
            about: "The selected protocol (when stable), or empty.",
          },
          {
            name: "members",
            type: "[]",
            struct: "DescribedGroupMember",
            versions: "0+",
            about: "The group members.",
            fields: [
              { name: "memberId", type: "string", versions: "0+", about: "The member id." },
              {
                name: "groupInstanceId",
                type: "string",
                versions: "4+",
                nullableVersions: "4+",
                default: null,
                about: "The static member's instance id, or null.",
              },
              {
                name: "clientId",
                type: "string",
                versions: "0+",
                about: "The client id of the member's last join.",
              },
              { name: "clientHost", type: "string", versions: "0+", about: "The member's host." },
              {
                name: "memberMetadata",
                type: "bytes",
                versions: "0+",
                about: "The member's metadata for the selected protocol.",
              },
              {
                name: "memberAssignment",
                type: "bytes",
                versions: "0+",
                about: "The member's current assignment.",
              },
            ],
          },
          {
            name: "authorizedOperations",
            type: "int32",
            versions: "3+",
            default: -2147483648,
            about: "Bit field of the operations allowed on the group.",
          },
        ],
      },
    ],
  },
});

export type DescribeGroupsRequest = RequestValue<typeof DescribeGroups>;
export type DescribeGroupsResponse = ResponseValue<typeof DescribeGroups>;
export type DescribeGroupsRequestInput = RequestInput<typeof DescribeGroups>;
export type DescribeGroupsResponseInput = ResponseInput<typeof DescribeGroups>;
