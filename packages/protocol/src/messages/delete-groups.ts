// DeleteGroups (key 42), added with KIP-229. v1 throttles after answering (KIP-219); v2 is the
// first flexible version (KIP-482). v0 is deprecated and gone from Kafka 4 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DeleteGroups = defineApi({
  name: "DeleteGroups",
  apiKey: 42,
  validVersions: "0-2",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "DeleteGroupsRequest",
    fields: [
      {
        name: "groupsNames",
        type: "[]string",
        versions: "0+",
        entityType: "groupId",
        about: "The ids of the groups to delete.",
      },
    ],
  },
  response: {
    name: "DeleteGroupsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "DeletableGroupResult",
        versions: "0+",
        about: "The result for each group.",
        fields: [
          { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
        ],
      },
    ],
  },
});

export type DeleteGroupsRequest = RequestValue<typeof DeleteGroups>;
export type DeleteGroupsResponse = ResponseValue<typeof DeleteGroups>;
export type DeleteGroupsRequestInput = RequestInput<typeof DeleteGroups>;
export type DeleteGroupsResponseInput = ResponseInput<typeof DeleteGroups>;
