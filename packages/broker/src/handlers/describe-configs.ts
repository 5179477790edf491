// DescribeConfigs (key 32), v0–4 (kafkajs sends v0–2; the Java AdminClient and librdkafka newer).
//
// Behaviour (Kafka's ConfigHelper):
// - configurationKeys null or empty: every config of the resource; otherwise only the keys named
//   (unknown names are simply absent).
// - TOPIC (2): every topic config Nagare accepts (the log's and the stored-only ones), with the
//   effective value; readOnly false; source DYNAMIC_TOPIC_CONFIG for the topic's overrides,
//   STATIC_BROKER_CONFIG when a broker log.* synonym was set (config file, --override, NAGARE_*),
//   DEFAULT_CONFIG otherwise. An illegal name is INVALID_TOPIC_EXCEPTION, a missing topic
//   UNKNOWN_TOPIC_OR_PARTITION.
// - BROKER (4): resourceName "<node id>" gives every broker config with value and source
//   (STATIC_BROKER_CONFIG when set, DEFAULT_CONFIG otherwise), all readOnly: there are no dynamic
//   broker configs yet. "" (cluster-wide dynamic defaults) gives an empty list, since none exist.
//   Another id or a non-integer name: INVALID_REQUEST.
// - BROKER_LOGGER (8) and every other resource type: INVALID_REQUEST with a message (Kafka's
//   answer to a resource type it does not serve).
// - v0 reports isDefault (the value is not set on the resource itself); v1+ configSource and, when
//   includeSynonyms, the synonyms in Kafka's order; v3+ configType and, when includeDocumentation,
//   the documentation. Errors are per resource with an errorMessage.
// See config/config-entries.ts for how values, sources and synonyms are computed.
//
// Not implemented: sensitive configs (there are none yet), CLIENT_METRICS and GROUP resources.

import { DescribeConfigs, type DescribeConfigsResponseInput, ErrorCode } from "@nagare/protocol";
import {
  type DescribedConfig,
  describeBrokerConfigs,
  describeTopicConfigs,
} from "../config/config-entries.ts";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import {
  brokerLoggerProblem,
  checkBrokerResource,
  ResourceType,
  unknownTopic,
  unsupportedResourceType,
} from "../metadata/config-resources.ts";
import { invalidTopicNameReason, type TopicProblem } from "../metadata/topic-validation.ts";

type ResourceResult = NonNullable<DescribeConfigsResponseInput["results"]>[number];

interface WantedResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configurationKeys: string[] | null;
}

interface Options {
  readonly includeSynonyms: boolean;
  readonly includeDocumentation: boolean;
}

function failure(resource: WantedResource, problem: TopicProblem): ResourceResult {
  return {
    errorCode: problem.errorCode,
    errorMessage: problem.message,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: [],
  };
}

/** The resource's configs, or the problem that answers it. */
function resourceConfigs(
  resource: WantedResource,
  options: Options,
  ctx: RequestContext,
): DescribedConfig[] | TopicProblem {
  const { config, metadata } = ctx.services;
  switch (resource.resourceType) {
    case ResourceType.TOPIC: {
      const reason = invalidTopicNameReason(resource.resourceName);
      if (reason) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: reason };
      const topic = metadata.topic(resource.resourceName);
      if (!topic) return unknownTopic(resource.resourceName);
      return describeTopicConfigs(config, topic.configs, options);
    }
    case ResourceType.BROKER: {
      const checked = checkBrokerResource(resource.resourceName, metadata.nodeId);
      if ("errorCode" in checked) return checked;
      // The cluster-wide dynamic defaults: none exist until dynamic broker configs do.
      return checked.perBroker ? describeBrokerConfigs(config, options) : [];
    }
    case ResourceType.BROKER_LOGGER:
      return brokerLoggerProblem;
    default:
      return unsupportedResourceType(resource.resourceType);
  }
}

function describe(resource: WantedResource, options: Options, ctx: RequestContext): ResourceResult {
  const configs = resourceConfigs(resource, options, ctx);
  if (!Array.isArray(configs)) return failure(resource, configs);
  const keys = resource.configurationKeys;
  const wanted = keys === null || keys.length === 0 ? configs : configs.filter((c) => keys.includes(c.name));
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: wanted,
  };
}

export const describeConfigsHandler = defineHandler({
  api: DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle: async (request, ctx) => {
    // v0 has neither flag (the codec decodes them as false); v3 adds includeDocumentation.
    const options: Options = {
      includeSynonyms: request.includeSynonyms,
      includeDocumentation: request.includeDocumentation,
    };
    return {
      throttleTimeMs: 0,
      results: request.resources.map((resource) => describe(resource, options, ctx)),
    };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.resources.map(({ resourceType, resourceName }) => ({
      errorCode,
      errorMessage: null,
      resourceType,
      resourceName,
      configs: [],
    })),
  }),
});
