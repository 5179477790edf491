// What DescribeConfigs, AlterConfigs and IncrementalAlterConfigs share: Kafka's resource types,
// the checks on a resource's name, and the one way a topic's config overrides change (validate,
// persist, apply to the open logs).
//
// Broker resources cannot be altered: Nagare has no dynamic broker configs yet, every broker config
// is read-only (Kafka answers a change to a read-only broker config with INVALID_REQUEST "Cannot
// update these configs dynamically", which is what we send). Broker loggers (log4j levels in
// Kafka) do not exist here: logging is pino, configured at start-up.

import { ErrorCode } from "@nagare/protocol";
import type { BrokerServices } from "../broker-services.ts";
import { MetadataError } from "./metadata-error.ts";
import type { TopicMetadata } from "./metadata-image.ts";
import { type TopicProblem, validateTopicConfigs } from "./topic-validation.ts";

/** Kafka's ConfigResource.Type ids. */
export const ResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

export const invalidRequest = (message: string): TopicProblem => ({
  errorCode: ErrorCode.INVALID_REQUEST,
  message,
});

/**
 * A BROKER resource names this node ("1") or, empty, the cluster-wide defaults. Anything else is
 * INVALID_REQUEST with Kafka's messages. Returns whether the resource is the per-node one.
 */
export function checkBrokerResource(
  resourceName: string,
  nodeId: number,
): { perBroker: boolean } | TopicProblem {
  if (resourceName === "") return { perBroker: false };
  if (!/^-?\d+$/.test(resourceName))
    return invalidRequest(`Broker id must be an integer, but it is: ${resourceName}`);
  if (Number(resourceName) !== nodeId)
    return invalidRequest(
      `Unexpected broker id, expected ${nodeId} or empty string, but received ${resourceName}`,
    );
  return { perBroker: true };
}

export const brokerLoggerProblem: TopicProblem = invalidRequest(
  "Broker loggers are not supported by Nagare (logging is configured at start-up, not through log4j).",
);

export function unsupportedResourceType(resourceType: number): TopicProblem {
  return invalidRequest(`Unsupported resource type: ${resourceType}`);
}

/**
 * A change to a broker resource: an empty change is accepted (nothing to do); any key is refused,
 * since every broker config is read-only until dynamic broker configs exist.
 */
export function brokerChangeProblem(
  resourceName: string,
  keys: readonly string[],
  nodeId: number,
): TopicProblem | undefined {
  const checked = checkBrokerResource(resourceName, nodeId);
  if ("errorCode" in checked) return checked;
  if (keys.length === 0) return undefined;
  return invalidRequest(
    `Cannot update these configs dynamically: ${keys.join(", ")}. Nagare has no dynamic broker configs yet: ` +
      "set them in the config file, with --override or NAGARE_* variables, and restart the broker.",
  );
}

/** Every resource (type, name) given more than once; Kafka refuses each occurrence. */
export function duplicateResources(
  resources: readonly { readonly resourceType: number; readonly resourceName: string }[],
): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const r of resources) {
    const key = resourceKey(r);
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  return duplicates;
}

export function resourceKey(r: { readonly resourceType: number; readonly resourceName: string }): string {
  return `${r.resourceType}:${r.resourceName}`;
}

export function unknownTopic(name: string): TopicProblem {
  return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `The topic '${name}' does not exist.` };
}

/**
 * Replaces the topic's overrides with `overrides` after validating them (INVALID_CONFIG naming the
 * key); unless `validateOnly`, persists them and applies them to the open partition logs
 * (retention, compaction and segment settings take effect at the next roll / retention check).
 */
export async function replaceTopicConfigs(
  services: BrokerServices,
  topic: TopicMetadata,
  overrides: Readonly<Record<string, string>>,
  validateOnly: boolean,
): Promise<TopicProblem | undefined> {
  const problem = validateTopicConfigs(services.config, overrides);
  if (problem) return problem;
  if (validateOnly) return undefined;
  let updated: TopicMetadata;
  try {
    updated = await services.metadata.setTopicConfigs(topic.name, overrides);
  } catch (error) {
    if (error instanceof MetadataError && error.code === "UNKNOWN_TOPIC") return unknownTopic(topic.name);
    throw error;
  }
  services.replicas.updateTopicConfig(updated);
  services.logger.info({ topic: topic.name, configs: overrides }, "topic configs changed");
  return undefined;
}

export interface ConfigResourceRef {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly { readonly name: string }[];
}

export interface ConfigResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

function resourceResult(
  resource: ConfigResourceRef,
  problem: TopicProblem | undefined,
): ConfigResourceResult {
  return {
    errorCode: problem?.errorCode ?? ErrorCode.NONE,
    errorMessage: problem?.message ?? null,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
  };
}

/**
 * The per-resource loop both alter APIs share: resources in request order, a resource named twice
 * is INVALID_REQUEST for every copy, the others go through `alter`.
 */
export async function alterEachResource<R extends ConfigResourceRef>(
  resources: readonly R[],
  alter: (resource: R) => Promise<TopicProblem | undefined>,
): Promise<ConfigResourceResult[]> {
  const duplicates = duplicateResources(resources);
  const results: ConfigResourceResult[] = [];
  for (const resource of resources) {
    if (duplicates.has(resourceKey(resource)))
      results.push(resourceResult(resource, invalidRequest("Each resource must appear at most once.")));
    else results.push(resourceResult(resource, await alter(resource)));
  }
  return results;
}

/** The answer when an alter request fails as a whole. */
export function alterConfigsErrorResponse(
  resources: readonly ConfigResourceRef[],
  errorCode: number,
): { throttleTimeMs: number; responses: ConfigResourceResult[] } {
  return {
    throttleTimeMs: 0,
    responses: resources.map(({ resourceType, resourceName }) => ({
      errorCode,
      errorMessage: null,
      resourceType,
      resourceName,
    })),
  };
}

/** What altering a non-topic resource answers: no dynamic broker or logger configs yet. */
export function nonTopicAlterProblem(resource: ConfigResourceRef, nodeId: number): TopicProblem | undefined {
  switch (resource.resourceType) {
    case ResourceType.BROKER:
      return brokerChangeProblem(
        resource.resourceName,
        resource.configs.map((c) => c.name),
        nodeId,
      );
    case ResourceType.BROKER_LOGGER:
      return brokerLoggerProblem;
    default:
      return unsupportedResourceType(resource.resourceType);
  }
}
