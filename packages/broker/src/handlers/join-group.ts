// JoinGroup (key 11), v0–9: a member joins (or rejoins) a classic group; the response is held
// until the rebalance completes (coordinator/group/membership.ts has the protocol).
//
// Request mapping: v0 has no rebalance timeout (the session timeout is used, as Kafka does);
// v4+ requires a known member id (MEMBER_ID_REQUIRED first); v5+ static membership; v9 may tell a
// rejoining static leader to skip the assignment. clientHost is reported as Kafka's
// InetAddress text ("/127.0.0.1"). protocolName is null on errors from v7, "" before.
//
// Not implemented: throttling; join reasons (v8) are accepted and ignored.

import { JoinGroup, type JoinGroupResponseInput } from "@nagare/protocol";
import type { JoinOutcome } from "../coordinator/group/group-member.ts";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";

function toResponse(outcome: JoinOutcome, ctx: RequestContext): JoinGroupResponseInput {
  return {
    throttleTimeMs: 0,
    errorCode: outcome.errorCode,
    generationId: outcome.generationId,
    protocolType: outcome.protocolType,
    protocolName: outcome.protocolName ?? (ctx.apiVersion >= 7 ? null : ""),
    leader: outcome.leader,
    skipAssignment: outcome.skipAssignment,
    memberId: outcome.memberId,
    members: outcome.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata,
    })),
  };
}

export const joinGroupHandler = defineHandler({
  api: JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    const outcome = await ctx.services.groups.membership.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      protocolType: request.protocolType,
      protocols: request.protocols,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: ctx.apiVersion === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
      clientId: ctx.header.clientId ?? "",
      clientHost: `/${ctx.connection.remoteAddress}`,
      requireKnownMemberId: ctx.apiVersion >= 4,
      supportsSkipAssignment: ctx.apiVersion >= 9,
    });
    return toResponse(outcome, ctx);
  },
  errorResponse: (request, errorCode, ctx) =>
    toResponse(
      {
        errorCode,
        generationId: -1,
        protocolType: null,
        protocolName: null,
        leader: "",
        memberId: request.memberId,
        skipAssignment: false,
        members: [],
      },
      ctx,
    ),
});
