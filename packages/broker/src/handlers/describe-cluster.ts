// DescribeCluster (key 60), v0–2: the admin view of the cluster (KIP-700).
//
// Behaviour (Kafka's AuthHelper.computeDescribeClusterResponse):
// - Brokers: this node only, with the advertised host:port of the listener the request came in on
//   (as Metadata), rack null, never fenced (isFenced false, v2; includeFencedBrokers changes
//   nothing, KIP-1073). The controller is this node; the cluster id comes from meta.properties.
// - endpointType (v1+, KIP-919): 1 (brokers) is served; 2 (controllers) answers
//   MISMATCHED_ENDPOINT_TYPE and any other value UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0,
//   which predates both codes), with no brokers, as Kafka does.
// - clusterAuthorizedOperations: no ACLs yet, so every cluster operation when asked for, else the
//   schema's "not requested" value -2147483648.
//
// Not implemented: racks, describing controllers, throttling.

import {
  DescribeCluster,
  type DescribeClusterRequest,
  type DescribeClusterResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { advertisedBroker, allClusterOperations, operationsNotRequested } from "./metadata.ts";

/** EndpointType ids (KIP-919). */
const brokerEndpoint = 1;
const controllerEndpoint = 2;

function failed(errorCode: number, errorMessage: string | null): DescribeClusterResponseInput {
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    endpointType: brokerEndpoint,
    clusterId: "",
    controllerId: -1,
    brokers: [],
    clusterAuthorizedOperations: operationsNotRequested,
  };
}

function endpointTypeError(request: DescribeClusterRequest, ctx: RequestContext) {
  const type = request.endpointType;
  if (type === brokerEndpoint) return undefined;
  const oldVersion = ctx.apiVersion === 0;
  if (type === controllerEndpoint)
    return failed(
      oldVersion ? ErrorCode.INVALID_REQUEST : ErrorCode.MISMATCHED_ENDPOINT_TYPE,
      "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER",
    );
  return failed(
    oldVersion ? ErrorCode.INVALID_REQUEST : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
    `Unsupported endpoint type ${type}`,
  );
}

export const describeClusterHandler = defineHandler({
  api: DescribeCluster,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const refused = endpointTypeError(request, ctx);
    if (refused) return refused;
    const { services } = ctx;
    const { host = "", port = 0 } = advertisedBroker(services, ctx.connection.listenerName);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: brokerEndpoint,
      clusterId: services.clusterId,
      controllerId: services.metadata.nodeId,
      brokers: [{ brokerId: services.metadata.nodeId, host, port, rack: null, isFenced: false }],
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? allClusterOperations
        : operationsNotRequested,
    };
  },
  errorResponse: (_request, errorCode) => failed(errorCode, null),
});
