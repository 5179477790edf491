// DescribeGroups (key 15), v0–6: state, protocol and members of each group. Member metadata and
// assignments are filled only while the group is Stable (as Kafka); the selected protocol
// (protocolData) likewise. An unknown group is reported as state "Dead" with no error before v6,
// and GROUP_ID_NOT_FOUND from v6 (KIP-1043). authorizedOperations (v3+): no ACLs yet, so every
// group operation (READ, DELETE, DESCRIBE) when asked for.

import { DescribeGroups, type DescribeGroupsResponseInput, ErrorCode } from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { operationsNotRequested } from "./metadata.ts";

type DescribedGroup = NonNullable<DescribeGroupsResponseInput["groups"]>[number];

/** READ 3, DELETE 6, DESCRIBE 8 (Kafka's AclOperation codes). */
const allGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

function unknownGroup(groupId: string, ctx: RequestContext, operations: number): DescribedGroup {
  const notFound = ctx.apiVersion >= 6;
  return {
    errorCode: notFound ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NONE,
    errorMessage: notFound ? `Group ${groupId} not found.` : null,
    groupId,
    groupState: "Dead",
    protocolType: "",
    protocolData: "",
    members: [],
    authorizedOperations: operations,
  };
}

export const describeGroupsHandler = defineHandler({
  api: DescribeGroups,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    const operations = request.includeAuthorizedOperations ? allGroupOperations : operationsNotRequested;
    const groups = request.groups.map((groupId): DescribedGroup => {
      const summary = ctx.services.groups.describe(groupId);
      if (!summary) return unknownGroup(groupId, ctx, operations);
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId,
        groupState: summary.state,
        protocolType: summary.protocolType,
        protocolData: summary.protocolData,
        members: summary.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: operations,
      };
    });
    return { throttleTimeMs: 0, groups };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    groups: request.groups.map((groupId) => ({
      errorCode,
      errorMessage: null,
      groupId,
      groupState: "",
      protocolType: "",
      protocolData: "",
      members: [],
      authorizedOperations: operationsNotRequested,
    })),
  }),
});
