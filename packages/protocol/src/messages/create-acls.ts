// CreateAcls (key 30). v1 adds each creation's resource pattern type (KIP-290), and the broker
// answers before applying a quota throttle (KIP-219); v2 is the first flexible version (KIP-482);
// v3 has the same schema and allows the USER resource type (KIP-373). v0 is deprecated and gone
// from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const CreateAcls = defineApi({
  name: "CreateAcls",
  apiKey: 30,
  validVersions: "0-3",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "CreateAclsRequest",
    fields: [
      {
        name: "creations",
        type: "[]",
        struct: "AclCreation",
        versions: "0+",
        about: "The ACLs to create.",
        fields: [
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "resourcePatternType",
            type: "int8",
            versions: "1+",
            default: 3,
            about: "The resource pattern type (3 = literal).",
          },
          { name: "principal", type: "string", versions: "0+", about: "The ACL principal." },
          { name: "host", type: "string", versions: "0+", about: "The ACL host." },
          { name: "operation", type: "int8", versions: "0+", about: "The ACL operation (read, write, …)." },
          {
            name: "permissionType",
            type: "int8",
            versions: "0+",
            about: "The ACL permission type (allow, deny, …).",
          },
        ],
      },
    ],
  },
  response: {
    name: "CreateAclsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "AclCreationResult",
        versions: "0+",
        about: "The result of each creation, in request order.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            about: "The error message, or null on success.",
          },
        ],
      },
    ],
  },
});

export type CreateAclsRequest = RequestValue<typeof CreateAcls>;
export type CreateAclsResponse = ResponseValue<typeof CreateAcls>;
export type CreateAclsRequestInput = RequestInput<typeof CreateAcls>;
export type CreateAclsResponseInput = ResponseInput<typeof CreateAcls>;
