// ListGroups (key 16). v1 adds throttle time to the response; v2 throttles after answering
// (KIP-219); v3 is the first flexible version (KIP-482); v4 filters by and returns the group
// state (KIP-518); v5 filters by and returns the group type (KIP-848).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ListGroups = defineApi({
  name: "ListGroups",
  apiKey: 16,
  validVersions: "0-5",
  flexibleVersions: "3+",
  request: {
    name: "ListGroupsRequest",
    fields: [
      {
        name: "statesFilter",
        type: "[]string",
        versions: "4+",
        about: "Only list groups in these states; empty for all.",
      },
      {
        name: "typesFilter",
        type: "[]string",
        versions: "5+",
        about: "Only list groups of these types; empty for all.",
      },
    ],
  },
  response: {
    name: "ListGroupsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
      {
        name: "groups",
        type: "[]",
        struct: "ListedGroup",
        versions: "0+",
        about: "The groups listed.",
        fields: [
          { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
          { name: "protocolType", type: "string", versions: "0+", about: "The group's protocol type." },
          { name: "groupState", type: "string", versions: "4+", about: "The group state." },
          { name: "groupType", type: "string", versions: "5+", about: "The group type." },
        ],
      },
    ],
  },
});

export type ListGroupsRequest = RequestValue<typeof ListGroups>;
export type ListGroupsResponse = ResponseValue<typeof ListGroups>;
export type ListGroupsRequestInput = RequestInput<typeof ListGroups>;
export type ListGroupsResponseInput = ResponseInput<typeof ListGroups>;
