// AlterConfigs (key 33), v0–2. The legacy API (superseded by IncrementalAlterConfigs, KIP-339):
// each resource's configs in the request REPLACE its whole override set (a key left out returns
// to its default; a null value also means "no override", as in Kafka's KRaft controller).
//
// Behaviour:
// - A resource given twice: INVALID_REQUEST "Each resource must appear at most once." for each.
// - TOPIC (2): a missing topic is UNKNOWN_TOPIC_OR_PARTITION; an unknown key or invalid value
//   INVALID_CONFIG naming it (metadata/topic-validation.ts). Unless validateOnly, the new overrides
//   are persisted in the embedded metadata and applied to the open partition logs (retention,
//   compaction and segment settings take effect at the next roll / retention check).
// - BROKER (4): every broker config is read-only (no dynamic broker configs yet): a change is
//   INVALID_REQUEST "Cannot update these configs dynamically: …" as Kafka answers for read-only
//   broker configs; an empty change is accepted. Wrong broker id: INVALID_REQUEST.
// - BROKER_LOGGER and other resource types: INVALID_REQUEST.
// - Results in request order, each with an errorMessage.
//
// Not implemented: alter-config policies (POLICY_VIOLATION), dynamic broker configs.

import { AlterConfigs, type AlterConfigsRequest } from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import {
  alterConfigsErrorResponse,
  alterEachResource,
  nonTopicAlterProblem,
  ResourceType,
  replaceTopicConfigs,
  unknownTopic,
} from "../metadata/config-resources.ts";
import type { TopicProblem } from "../metadata/topic-validation.ts";

type Resource = AlterConfigsRequest["resources"][number];
async function alter(
  resource: Resource,
  validateOnly: boolean,
  ctx: RequestContext,
): Promise<TopicProblem | undefined> {
  const { metadata } = ctx.services;
  switch (resource.resourceType) {
    case ResourceType.TOPIC: {
      const topic = metadata.topic(resource.resourceName);
      if (!topic) return unknownTopic(resource.resourceName);
      const overrides: Record<string, string> = {};
      for (const { name, value } of resource.configs) {
        if (value === null) delete overrides[name];
        else overrides[name] = value;
      }
      return replaceTopicConfigs(ctx.services, topic, overrides, validateOnly);
    }
    default:
      return nonTopicAlterProblem(resource, metadata.nodeId);
  }
}

export const alterConfigsHandler = defineHandler({
  api: AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle: async (request, ctx) => ({
    throttleTimeMs: 0,
    responses: await alterEachResource(request.resources, (resource) =>
      alter(resource, request.validateOnly, ctx),
    ),
  }),
  errorResponse: (request, errorCode) => alterConfigsErrorResponse(request.resources, errorCode),
});
