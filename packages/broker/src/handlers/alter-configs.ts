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

import {
  AlterConfigs,
  type AlterConfigsRequest,
  type AlterConfigsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import {
  brokerChangeProblem,
  brokerLoggerProblem,
  duplicateResources,
  invalidRequest,
  ResourceType,
  replaceTopicConfigs,
  resourceKey,
  unknownTopic,
  unsupportedResourceType,
} from "../metadata/config-resources.ts";
import type { TopicProblem } from "../metadata/topic-validation.ts";

type Resource = AlterConfigsRequest["resources"][number];
type ResourceResult = NonNullable<AlterConfigsResponseInput["responses"]>[number];

function result(resource: Resource, problem: TopicProblem | undefined): ResourceResult {
  return {
    errorCode: problem?.errorCode ?? ErrorCode.NONE,
    errorMessage: problem?.message ?? null,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
  };
}

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
    case ResourceType.BROKER:
      return brokerChangeProblem(
        resource.resourceName,
        resource.configs.map((c) => c.name),
        metadata.nodeId,
      );
    case ResourceType.BROKER_LOGGER:
      return brokerLoggerProblem;
    default:
      return unsupportedResourceType(resource.resourceType);
  }
}

export const alterConfigsHandler = defineHandler({
  api: AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle: async (request, ctx) => {
    const duplicates = duplicateResources(request.resources);
    const responses: ResourceResult[] = [];
    for (const resource of request.resources) {
      if (duplicates.has(resourceKey(resource)))
        responses.push(result(resource, invalidRequest("Each resource must appear at most once.")));
      else responses.push(result(resource, await alter(resource, request.validateOnly, ctx)));
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.resources.map(({ resourceType, resourceName }) => ({
      errorCode,
      errorMessage: null,
      resourceType,
      resourceName,
    })),
  }),
});
