// IncrementalAlterConfigs (key 44), v0–1 (KIP-339): per-key operations on a resource's overrides.
//
// Behaviour (Kafka's ConfigAdminManager and controller, codes and messages):
// - A resource given twice: INVALID_REQUEST "Each resource must appear at most once." for each.
// - A key given twice in one resource: INVALID_REQUEST "Error due to duplicate config keys"; a null
//   value for an operation other than DELETE: INVALID_REQUEST "Null value not supported for : …";
//   an operation id other than 0–3: INVALID_REQUEST "Unknown operations type N".
// - TOPIC (2): SET (0) sets the override, DELETE (1) removes it (the default applies again),
//   APPEND (2) / SUBTRACT (3) add / remove comma-separated items of a LIST config
//   (cleanup.policy, *.replication.throttled.replicas) — starting from the current override or,
//   without one, the value in effect; APPEND skips items already present. On any other config they
//   are INVALID_CONFIG "Can't APPEND to key … because its type is not LIST.". The resulting
//   override set is validated (INVALID_CONFIG naming the key) and, unless validateOnly, persisted and
//   applied to the open partition logs (retention, compaction and segment settings take effect at
//   the next roll / retention check). A missing topic is UNKNOWN_TOPIC_OR_PARTITION.
// - BROKER (4): every broker config is read-only (no dynamic broker configs yet): any operation is
//   INVALID_REQUEST "Cannot update these configs dynamically: …", as Kafka answers for read-only
//   broker configs; wrong broker id: INVALID_REQUEST.
// - BROKER_LOGGER and other resource types: INVALID_REQUEST.
//
// Not implemented: alter-config policies (POLICY_VIOLATION), dynamic broker configs, broker loggers.

import { ErrorCode, IncrementalAlterConfigs, type IncrementalAlterConfigsRequest } from "@nagare/protocol";
import { isListTopicConfig } from "../config/config-entries.ts";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import {
  alterConfigsErrorResponse,
  alterEachResource,
  invalidRequest,
  nonTopicAlterProblem,
  ResourceType,
  replaceTopicConfigs,
  unknownTopic,
} from "../metadata/config-resources.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import { topicConfigEntries } from "../metadata/topic-config-entries.ts";
import type { TopicProblem } from "../metadata/topic-validation.ts";

type Resource = IncrementalAlterConfigsRequest["resources"][number];
/** Kafka's AlterConfigOp.OpType ids. */
const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const opNames = ["SET", "DELETE", "APPEND", "SUBTRACT"];

/** The checks Kafka makes on every resource before looking at its type. */
function checkOperations(resource: Resource): TopicProblem | undefined {
  const names = resource.configs.map((c) => c.name);
  if (new Set(names).size !== names.length) return invalidRequest("Error due to duplicate config keys");
  const nulls = resource.configs
    .filter((c) => c.configOperation !== OpType.DELETE && c.value === null)
    .map((c) => c.name);
  if (nulls.length > 0) return invalidRequest(`Null value not supported for : ${nulls.join(", ")}`);
  const unknown = resource.configs.find(
    (c) => c.configOperation < OpType.SET || c.configOperation > OpType.SUBTRACT,
  );
  if (unknown) return invalidRequest(`Unknown operations type ${unknown.configOperation}`);
  return undefined;
}

const items = (list: string): string[] => list.split(",").filter((item) => item !== "");

/** The topic's overrides after the operations, or the INVALID_CONFIG that refuses them. */
function applyOperations(
  topic: TopicMetadata,
  resource: Resource,
  ctx: RequestContext,
): { overrides: Record<string, string> } | { problem: TopicProblem } {
  const overrides: Record<string, string> = { ...topic.configs };
  for (const { name, configOperation, value } of resource.configs) {
    const operand = value ?? "";
    if (configOperation === OpType.SET) overrides[name] = operand;
    else if (configOperation === OpType.DELETE) delete overrides[name];
    else {
      if (!isListTopicConfig(name))
        return {
          problem: {
            errorCode: ErrorCode.INVALID_CONFIG,
            message: `Can't ${opNames[configOperation]} to key ${name} because its type is not LIST.`,
          },
        };
      const current =
        overrides[name] ??
        topicConfigEntries(ctx.services.config, overrides).find((entry) => entry.name === name)?.value ??
        "";
      const list = items(current);
      if (configOperation === OpType.APPEND) {
        for (const item of items(operand)) if (!list.includes(item)) list.push(item);
        overrides[name] = list.join(",");
      } else {
        const removed = new Set(items(operand));
        overrides[name] = list.filter((item) => !removed.has(item)).join(",");
      }
    }
  }
  return { overrides };
}

async function alter(
  resource: Resource,
  validateOnly: boolean,
  ctx: RequestContext,
): Promise<TopicProblem | undefined> {
  const problem = checkOperations(resource);
  if (problem) return problem;
  const { metadata } = ctx.services;
  switch (resource.resourceType) {
    case ResourceType.TOPIC: {
      const topic = metadata.topic(resource.resourceName);
      if (!topic) return unknownTopic(resource.resourceName);
      const applied = applyOperations(topic, resource, ctx);
      if ("problem" in applied) return applied.problem;
      return replaceTopicConfigs(ctx.services, topic, applied.overrides, validateOnly);
    }
    default:
      return nonTopicAlterProblem(resource, metadata.nodeId);
  }
}

export const incrementalAlterConfigsHandler = defineHandler({
  api: IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  handle: async (request, ctx) => ({
    throttleTimeMs: 0,
    responses: await alterEachResource(request.resources, (resource) =>
      alter(resource, request.validateOnly, ctx),
    ),
  }),
  errorResponse: (request, errorCode) => alterConfigsErrorResponse(request.resources, errorCode),
});
