/**
 * Kafka protocol error codes.
 *
 * One table (`TABLE`) is the single source of truth; the `ErrorCode` name → code map, the
 * lookup functions and the exported types are all derived from it.
 *
 * Columns: wire code, Kafka's `Errors` enum name, retriable, one-line description.
 *
 * "Retriable" follows the Java client: true exactly when the exception class Kafka maps the
 * code to extends `RetriableException` (directly or through e.g. `InvalidMetadataException`).
 * Codes -1..128 were checked against Kafka's own sources; 129..133 (Kafka 4.0/4.1) follow
 * franz-go's kerr table.
 */

const UNKNOWN_NAME = "UNKNOWN_ERROR_CODE";

export interface KafkaErrorInfo {
  /** The int16 value carried on the wire. */
  readonly code: number;
  /** Kafka's enum name (UPPER_SNAKE), or `UNKNOWN_ERROR_CODE` for codes not in the table. */
  readonly name: ErrorCodeName | typeof UNKNOWN_NAME;
  /** Whether a client may retry the failed request as-is (Kafka `RetriableException`). */
  readonly retriable: boolean;
  /** One-line human-readable description. */
  readonly message: string;
}

const TABLE = [
  [-1, "UNKNOWN_SERVER_ERROR", false, "The server hit an unexpected error while processing the request."],
  [0, "NONE", false, "No error."],
  [1, "OFFSET_OUT_OF_RANGE", false, "The requested offset is outside the range the server holds."],
  [2, "CORRUPT_MESSAGE", true, "The message failed its CRC check, is oversized, or is otherwise corrupt."],
  [3, "UNKNOWN_TOPIC_OR_PARTITION", true, "This server does not host this topic-partition."],
  [4, "INVALID_FETCH_SIZE", false, "The requested fetch size is invalid."],
  [5, "LEADER_NOT_AVAILABLE", true, "The partition has no leader right now; a leader election is under way."],
  [6, "NOT_LEADER_OR_FOLLOWER", true, "This broker is not the leader, or not a replica, of the partition."],
  [7, "REQUEST_TIMED_OUT", true, "The request timed out."],
  [8, "BROKER_NOT_AVAILABLE", false, "The broker is not available."],
  [9, "REPLICA_NOT_AVAILABLE", true, "The replica is not available for the requested topic-partition."],
  [10, "MESSAGE_TOO_LARGE", false, "The request carried a message larger than the server's maximum."],
  [11, "STALE_CONTROLLER_EPOCH", false, "The controller has moved to another broker."],
  [12, "OFFSET_METADATA_TOO_LARGE", false, "The metadata attached to the offset is too large."],
  [13, "NETWORK_EXCEPTION", true, "The server disconnected before a response was received."],
  [14, "COORDINATOR_LOAD_IN_PROGRESS", true, "The coordinator is loading and cannot serve requests yet."],
  [15, "COORDINATOR_NOT_AVAILABLE", true, "The coordinator is not available."],
  [16, "NOT_COORDINATOR", true, "This broker is not the correct coordinator."],
  [17, "INVALID_TOPIC_EXCEPTION", false, "The request tried to operate on an invalid topic."],
  [18, "RECORD_LIST_TOO_LARGE", false, "The record batch is larger than the configured segment size."],
  [19, "NOT_ENOUGH_REPLICAS", true, "Rejected: fewer in-sync replicas than required."],
  [20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true, "Appended, but to fewer in-sync replicas than required."],
  [21, "INVALID_REQUIRED_ACKS", false, "The produce request specified an invalid acks value."],
  [22, "ILLEGAL_GENERATION", false, "The group generation id is not valid."],
  [23, "INCONSISTENT_GROUP_PROTOCOL", false, "The member's protocols are incompatible with the group's."],
  [24, "INVALID_GROUP_ID", false, "The group id is invalid."],
  [25, "UNKNOWN_MEMBER_ID", false, "The coordinator does not know this member."],
  [26, "INVALID_SESSION_TIMEOUT", false, "The session timeout is outside the range the broker allows."],
  [27, "REBALANCE_IN_PROGRESS", false, "The group is rebalancing; the member must rejoin."],
  [28, "INVALID_COMMIT_OFFSET_SIZE", false, "The size of the committed offset data is not valid."],
  [29, "TOPIC_AUTHORIZATION_FAILED", false, "Topic authorization failed."],
  [30, "GROUP_AUTHORIZATION_FAILED", false, "Group authorization failed."],
  [31, "CLUSTER_AUTHORIZATION_FAILED", false, "Cluster authorization failed."],
  [32, "INVALID_TIMESTAMP", false, "The message timestamp is outside the acceptable range."],
  [33, "UNSUPPORTED_SASL_MECHANISM", false, "The broker does not support the requested SASL mechanism."],
  [34, "ILLEGAL_SASL_STATE", false, "The request is not valid in the current SASL state."],
  [35, "UNSUPPORTED_VERSION", false, "The API version is not supported."],
  [36, "TOPIC_ALREADY_EXISTS", false, "A topic with this name already exists."],
  [37, "INVALID_PARTITIONS", false, "The number of partitions is below 1."],
  [38, "INVALID_REPLICATION_FACTOR", false, "The replication factor is below 1 or above the broker count."],
  [39, "INVALID_REPLICA_ASSIGNMENT", false, "The replica assignment is invalid."],
  [40, "INVALID_CONFIG", false, "The configuration is invalid."],
  [41, "NOT_CONTROLLER", true, "This broker is not the controller of the cluster."],
  [42, "INVALID_REQUEST", false, "The request is malformed or was sent to an incompatible broker."],
  [43, "UNSUPPORTED_FOR_MESSAGE_FORMAT", false, "The broker's message format does not support the request."],
  [44, "POLICY_VIOLATION", false, "The request parameters violate the configured policy."],
  [45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false, "The broker received an out-of-order sequence number."],
  [46, "DUPLICATE_SEQUENCE_NUMBER", false, "The broker received a duplicate sequence number."],
  [47, "INVALID_PRODUCER_EPOCH", false, "The producer used an old epoch."],
  [48, "INVALID_TXN_STATE", false, "The producer attempted a transactional operation in an invalid state."],
  [49, "INVALID_PRODUCER_ID_MAPPING", false, "The producer id is not assigned to this transactional id."],
  [50, "INVALID_TRANSACTION_TIMEOUT", false, "The transaction timeout exceeds transaction.max.timeout.ms."],
  [51, "CONCURRENT_TRANSACTIONS", true, "Another operation on the same transaction is in progress."],
  [52, "TRANSACTION_COORDINATOR_FENCED", false, "The sending transaction coordinator is no longer current."],
  [53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", false, "Transactional id authorization failed."],
  [54, "SECURITY_DISABLED", false, "Security features are disabled."],
  [55, "OPERATION_NOT_ATTEMPTED", false, "Not attempted because another operation in the batch failed."],
  [56, "KAFKA_STORAGE_ERROR", true, "A disk error occurred while accessing the log file."],
  [57, "LOG_DIR_NOT_FOUND", false, "The requested log directory is not in the broker's configuration."],
  [58, "SASL_AUTHENTICATION_FAILED", false, "SASL authentication failed."],
  [59, "UNKNOWN_PRODUCER_ID", false, "The broker holds no metadata for this producer id."],
  [60, "REASSIGNMENT_IN_PROGRESS", false, "A partition reassignment is in progress."],
  [61, "DELEGATION_TOKEN_AUTH_DISABLED", false, "Delegation tokens are not enabled."],
  [62, "DELEGATION_TOKEN_NOT_FOUND", false, "The delegation token was not found on the server."],
  [63, "DELEGATION_TOKEN_OWNER_MISMATCH", false, "The principal is not a valid token owner or renewer."],
  [64, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", false, "Delegation token requests are not allowed here."],
  [65, "DELEGATION_TOKEN_AUTHORIZATION_FAILED", false, "Delegation token authorization failed."],
  [66, "DELEGATION_TOKEN_EXPIRED", false, "The delegation token has expired."],
  [67, "INVALID_PRINCIPAL_TYPE", false, "The principal type is not supported."],
  [68, "NON_EMPTY_GROUP", false, "The group is not empty."],
  [69, "GROUP_ID_NOT_FOUND", false, "The group id does not exist."],
  [70, "FETCH_SESSION_ID_NOT_FOUND", true, "The fetch session id was not found."],
  [71, "INVALID_FETCH_SESSION_EPOCH", true, "The fetch session epoch is invalid."],
  [72, "LISTENER_NOT_FOUND", true, "The leader has no listener matching the one the metadata request used."],
  [73, "TOPIC_DELETION_DISABLED", false, "Topic deletion is disabled."],
  [74, "FENCED_LEADER_EPOCH", true, "The request's leader epoch is older than the broker's."],
  [75, "UNKNOWN_LEADER_EPOCH", true, "The request's leader epoch is newer than the broker's."],
  [76, "UNSUPPORTED_COMPRESSION_TYPE", false, "The client cannot handle the partition's compression type."],
  [77, "STALE_BROKER_EPOCH", false, "The broker epoch has changed."],
  [78, "OFFSET_NOT_AVAILABLE", true, "The new leader's high watermark has not caught up yet."],
  [79, "MEMBER_ID_REQUIRED", false, "The member must obtain a member id before joining the group."],
  [80, "PREFERRED_LEADER_NOT_AVAILABLE", true, "The preferred leader is not available."],
  [81, "GROUP_MAX_SIZE_REACHED", false, "The group has reached its maximum size."],
  [82, "FENCED_INSTANCE_ID", false, "Another member with the same group.instance.id has registered."],
  [83, "ELIGIBLE_LEADERS_NOT_AVAILABLE", true, "No eligible leaders are available for the partition."],
  [84, "ELECTION_NOT_NEEDED", true, "Leader election is not needed for the partition."],
  [85, "NO_REASSIGNMENT_IN_PROGRESS", false, "No partition reassignment is in progress."],
  [86, "GROUP_SUBSCRIBED_TO_TOPIC", false, "Cannot delete offsets of a topic the group is subscribed to."],
  [87, "INVALID_RECORD", false, "The record failed broker-side validation and was rejected."],
  [88, "UNSTABLE_OFFSET_COMMIT", true, "There are unstable offsets that must be cleared first."],
  [89, "THROTTLING_QUOTA_EXCEEDED", true, "The throttling quota has been exceeded."],
  [90, "PRODUCER_FENCED", false, "A newer producer with the same transactional id has fenced this one."],
  [91, "RESOURCE_NOT_FOUND", false, "The request referred to a resource that does not exist."],
  [92, "DUPLICATE_RESOURCE", false, "The request referred to the same resource twice."],
  [93, "UNACCEPTABLE_CREDENTIAL", false, "The requested credential is not acceptable."],
  [94, "INCONSISTENT_VOTER_SET", false, "A party to a voter-only request is not an expected voter."],
  [95, "INVALID_UPDATE_VERSION", false, "The update version is invalid."],
  [96, "FEATURE_UPDATE_FAILED", false, "Finalized features could not be updated due to a server error."],
  [97, "PRINCIPAL_DESERIALIZATION_FAILURE", false, "The forwarded request's principal could not be decoded."],
  [98, "SNAPSHOT_NOT_FOUND", false, "The requested snapshot was not found."],
  [99, "POSITION_OUT_OF_RANGE", false, "The requested position is negative or beyond the snapshot's size."],
  [100, "UNKNOWN_TOPIC_ID", true, "This server does not host this topic id."],
  [101, "DUPLICATE_BROKER_REGISTRATION", false, "This broker id is already in use."],
  [102, "BROKER_ID_NOT_REGISTERED", false, "The broker id is not registered."],
  [103, "INCONSISTENT_TOPIC_ID", true, "The log's topic id does not match the request's topic id."],
  [104, "INCONSISTENT_CLUSTER_ID", false, "The request's cluster id does not match the server's."],
  [105, "TRANSACTIONAL_ID_NOT_FOUND", false, "The transactional id was not found."],
  [106, "FETCH_SESSION_TOPIC_ID_ERROR", true, "The fetch session saw inconsistent topic id usage."],
  [107, "INELIGIBLE_REPLICA", false, "The new ISR contains at least one ineligible replica."],
  [108, "NEW_LEADER_ELECTED", false, "The partition state was updated but the leader has changed."],
  [109, "OFFSET_MOVED_TO_TIERED_STORAGE", false, "The requested offset has moved to tiered storage."],
  [110, "FENCED_MEMBER_EPOCH", false, "The member epoch is fenced; drop all partitions and rejoin."],
  [111, "UNRELEASED_INSTANCE_ID", false, "The instance id is still held by another member of the group."],
  [112, "UNSUPPORTED_ASSIGNOR", false, "The group does not support the assignor or its version range."],
  [113, "STALE_MEMBER_EPOCH", false, "The member epoch is stale; retry once the updated epoch is received."],
  [114, "MISMATCHED_ENDPOINT_TYPE", false, "The request was sent to the wrong type of endpoint."],
  [115, "UNSUPPORTED_ENDPOINT_TYPE", false, "This endpoint type is not supported yet."],
  [116, "UNKNOWN_CONTROLLER_ID", false, "The controller id is not known."],
  [117, "UNKNOWN_SUBSCRIPTION_ID", false, "The telemetry subscription id is invalid or outdated."],
  [118, "TELEMETRY_TOO_LARGE", false, "The telemetry push is larger than the broker accepts."],
  [119, "INVALID_REGISTRATION", false, "The controller considers the broker registration invalid."],
  [120, "TRANSACTION_ABORTABLE", false, "The transaction failed; abort it to reuse the transactional id."],
  [121, "INVALID_RECORD_STATE", false, "The record state is invalid; the delivery acknowledgement failed."],
  [122, "SHARE_SESSION_NOT_FOUND", true, "The share session was not found."],
  [123, "INVALID_SHARE_SESSION_EPOCH", true, "The share session epoch is invalid."],
  [124, "FENCED_STATE_EPOCH", false, "The share-group state epoch did not match the share coordinator's."],
  [125, "INVALID_VOTER_KEY", false, "The voter key does not match the receiving replica's key."],
  [126, "DUPLICATE_VOTER", false, "The voter is already in the voter set."],
  [127, "VOTER_NOT_FOUND", false, "The voter is not in the voter set."],
  [128, "INVALID_REGULAR_EXPRESSION", false, "The regular expression is not valid."],
  [129, "REBOOTSTRAP_REQUIRED", false, "Client metadata is stale; the client should rebootstrap."],
  [130, "STREAMS_INVALID_TOPOLOGY", false, "The supplied streams topology is invalid."],
  [131, "STREAMS_INVALID_TOPOLOGY_EPOCH", false, "The supplied streams topology epoch is invalid."],
  [132, "STREAMS_TOPOLOGY_FENCED", false, "The supplied streams topology epoch is outdated."],
  [133, "SHARE_SESSION_LIMIT_REACHED", true, "The broker's share session limit has been reached."],
] as const satisfies ReadonlyArray<
  readonly [code: number, name: string, retriable: boolean, message: string]
>;

type Row = (typeof TABLE)[number];

/** Every Kafka error name in the table, e.g. `"NOT_LEADER_OR_FOLLOWER"`. */
export type ErrorCodeName = Row[1];

/** Every Kafka error code in the table, e.g. `6`. */
export type ErrorCodeValue = Row[0];

/** Literal-typed name → code map, the shape `{ NONE: 0, ... } as const` would have. */
export type ErrorCodeMap = { readonly [R in Row as R[1]]: R[0] };

/** Name → code, e.g. `ErrorCode.UNKNOWN_TOPIC_OR_PARTITION === 3`. */
export const ErrorCode: ErrorCodeMap = Object.freeze(
  Object.fromEntries(TABLE.map(([code, name]) => [name, code])),
) as ErrorCodeMap;

/** Every known error, ordered by code. */
export const KAFKA_ERRORS: readonly KafkaErrorInfo[] = Object.freeze(
  TABLE.map(([code, name, retriable, message]) => Object.freeze({ code, name, retriable, message })),
);

const byCode: ReadonlyMap<number, KafkaErrorInfo> = new Map(KAFKA_ERRORS.map((info) => [info.code, info]));

/** Whether `code` is one of the codes in the table. */
export function isKnownErrorCode(code: number): code is ErrorCodeValue {
  return byCode.has(code);
}

/**
 * Describes an error code. Codes missing from the table do not throw: they get a synthetic,
 * non-retriable entry named `UNKNOWN_ERROR_CODE` that keeps the original code.
 */
export function errorInfo(code: number): KafkaErrorInfo {
  return (
    byCode.get(code) ?? {
      code,
      name: UNKNOWN_NAME,
      retriable: false,
      message: `Unknown Kafka error code ${code}.`,
    }
  );
}

/** Kafka's name for `code`, or `UNKNOWN_ERROR_CODE` for a code not in the table. */
export function errorName(code: number): KafkaErrorInfo["name"] {
  return errorInfo(code).name;
}

/** Whether a request that failed with `code` may be retried; false for unknown codes. */
export function isRetriable(code: number): boolean {
  return errorInfo(code).retriable;
}
