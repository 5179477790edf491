// DescribeAcls (key 29). v1 adds the resource pattern type filter and each resource's pattern type
// (KIP-290), and the broker answers before applying a quota throttle (KIP-219); v2 is the first
// flexible version (KIP-482); v3 has the same schema and allows the USER resource type (KIP-373).
// v0 is deprecated and gone from Kafka 4.0 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeAcls = defineApi({
  name: "DescribeAcls",
  apiKey: 29,
  validVersions: "0-3",
  deprecatedVersions: "0",
  flexibleVersions: "2+",
  request: {
    name: "DescribeAclsRequest",
    fields: [
      { name: "resourceTypeFilter", type: "int8", versions: "0+", about: "The resource type to match." },
      {
        name: "resourceNameFilter",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The resource name to match, or null for any.",
      },
      {
        name: "patternTypeFilter",
        type: "int8",
        versions: "1+",
        default: 3,
        about: "The resource pattern type to match (3 = literal).",
      },
      {
        name: "principalFilter",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The principal to match, or null for any.",
      },
      {
        name: "hostFilter",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The host to match, or null for any.",
      },
      { name: "operation", type: "int8", versions: "0+", about: "The operation to match." },
      { name: "permissionType", type: "int8", versions: "0+", about: "The permission type to match." },
    ],
  },
  response: {
    name: "DescribeAclsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The error message, or null on success.",
      },
      {
        name: "resources",
        type: "[]",
        struct: "DescribeAclsResource",
        versions: "0+",
        about: "The matching ACLs, by resource.",
        fields: [
          { name: "resourceType", type: "int8", versions: "0+", about: "The resource type." },
          { name: "resourceName", type: "string", versions: "0+", about: "The resource name." },
          {
            name: "patternType",
            type: "int8",
            versions: "1+",
            default: 3,
            about: "The resource pattern type.",
          },
          {
            name: "acls",
            type: "[]",
            struct: "AclDescription",
            versions: "0+",
            about: "The ACLs on the resource.",
            fields: [
              { name: "principal", type: "string", versions: "0+", about: "The ACL principal." },
              { name: "host", type: "string", versions: "0+", about: "The ACL host." },
              { name: "operation", type: "int8", versions: "0+", about: "The ACL operation." },
              { name: "permissionType", type: "int8", versions: "0+", about: "The ACL permission type." },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeAclsRequest = RequestValue<typeof DescribeAcls>;
export type DescribeAclsResponse = ResponseValue<typeof DescribeAcls>;
export type DescribeAclsRequestInput = RequestInput<typeof DescribeAcls>;
export type DescribeAclsResponseInput = ResponseInput<typeof DescribeAcls>;
