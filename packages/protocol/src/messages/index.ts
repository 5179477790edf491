// The registry of every declared API, ordered by api key. Generated from the files beside it;
// add a declaration file and its line here.

import type { ApiDecl } from "../schema/declaration.ts";
import { AddOffsetsToTxn } from "./add-offsets-to-txn.ts";
import { AddPartitionsToTxn } from "./add-partitions-to-txn.ts";
import { AlterClientQuotas } from "./alter-client-quotas.ts";
import { AlterConfigs } from "./alter-configs.ts";
import { AlterPartitionReassignments } from "./alter-partition-reassignments.ts";
import { AlterReplicaLogDirs } from "./alter-replica-log-dirs.ts";
import { AlterUserScramCredentials } from "./alter-user-scram-credentials.ts";
import { ApiVersions } from "./api-versions.ts";
import { ConsumerGroupDescribe } from "./consumer-group-describe.ts";
import { ConsumerGroupHeartbeat } from "./consumer-group-heartbeat.ts";
import { CreateAcls } from "./create-acls.ts";
import { CreateDelegationToken } from "./create-delegation-token.ts";
import { CreatePartitions } from "./create-partitions.ts";
import { CreateTopics } from "./create-topics.ts";
import { DeleteAcls } from "./delete-acls.ts";
import { DeleteGroups } from "./delete-groups.ts";
import { DeleteRecords } from "./delete-records.ts";
import { DeleteTopics } from "./delete-topics.ts";
import { DescribeAcls } from "./describe-acls.ts";
import { DescribeClientQuotas } from "./describe-client-quotas.ts";
import { DescribeCluster } from "./describe-cluster.ts";
import { DescribeConfigs } from "./describe-configs.ts";
import { DescribeDelegationToken } from "./describe-delegation-token.ts";
import { DescribeGroups } from "./describe-groups.ts";
import { DescribeLogDirs } from "./describe-log-dirs.ts";
import { DescribeProducers } from "./describe-producers.ts";
import { DescribeTopicPartitions } from "./describe-topic-partitions.ts";
import { DescribeTransactions } from "./describe-transactions.ts";
import { DescribeUserScramCredentials } from "./describe-user-scram-credentials.ts";
import { ElectLeaders } from "./elect-leaders.ts";
import { EndTxn } from "./end-txn.ts";
import { ExpireDelegationToken } from "./expire-delegation-token.ts";
import { Fetch } from "./fetch.ts";
import { FindCoordinator } from "./find-coordinator.ts";
import { GetTelemetrySubscriptions } from "./get-telemetry-subscriptions.ts";
import { Heartbeat } from "./heartbeat.ts";
import { IncrementalAlterConfigs } from "./incremental-alter-configs.ts";
import { InitProducerId } from "./init-producer-id.ts";
import { JoinGroup } from "./join-group.ts";
import { LeaveGroup } from "./leave-group.ts";
import { ListGroups } from "./list-groups.ts";
import { ListOffsets } from "./list-offsets.ts";
import { ListPartitionReassignments } from "./list-partition-reassignments.ts";
import { ListTransactions } from "./list-transactions.ts";
import { Metadata } from "./metadata.ts";
import { OffsetCommit } from "./offset-commit.ts";
import { OffsetDelete } from "./offset-delete.ts";
import { OffsetFetch } from "./offset-fetch.ts";
import { OffsetForLeaderEpoch } from "./offset-for-leader-epoch.ts";
import { Produce } from "./produce.ts";
import { PushTelemetry } from "./push-telemetry.ts";
import { RenewDelegationToken } from "./renew-delegation-token.ts";
import { SaslAuthenticate } from "./sasl-authenticate.ts";
import { SaslHandshake } from "./sasl-handshake.ts";
import { SyncGroup } from "./sync-group.ts";
import { TxnOffsetCommit } from "./txn-offset-commit.ts";
import { UpdateFeatures } from "./update-features.ts";
import { WriteTxnMarkers } from "./write-txn-markers.ts";

export * from "./add-offsets-to-txn.ts";
export * from "./add-partitions-to-txn.ts";
export * from "./alter-client-quotas.ts";
export * from "./alter-configs.ts";
export * from "./alter-partition-reassignments.ts";
export * from "./alter-replica-log-dirs.ts";
export * from "./alter-user-scram-credentials.ts";
export * from "./api-versions.ts";
export * from "./consumer-group-describe.ts";
export * from "./consumer-group-heartbeat.ts";
export * from "./create-acls.ts";
export * from "./create-delegation-token.ts";
export * from "./create-partitions.ts";
export * from "./create-topics.ts";
export * from "./delete-acls.ts";
export * from "./delete-groups.ts";
export * from "./delete-records.ts";
export * from "./delete-topics.ts";
export * from "./describe-acls.ts";
export * from "./describe-client-quotas.ts";
export * from "./describe-cluster.ts";
export * from "./describe-configs.ts";
export * from "./describe-delegation-token.ts";
export * from "./describe-groups.ts";
export * from "./describe-log-dirs.ts";
export * from "./describe-producers.ts";
export * from "./describe-topic-partitions.ts";
export * from "./describe-transactions.ts";
export * from "./describe-user-scram-credentials.ts";
export * from "./elect-leaders.ts";
export * from "./end-txn.ts";
export * from "./expire-delegation-token.ts";
export * from "./fetch.ts";
export * from "./find-coordinator.ts";
export * from "./get-telemetry-subscriptions.ts";
export * from "./heartbeat.ts";
export * from "./incremental-alter-configs.ts";
export * from "./init-producer-id.ts";
export * from "./join-group.ts";
export * from "./leave-group.ts";
export * from "./list-groups.ts";
export * from "./list-offsets.ts";
export * from "./list-partition-reassignments.ts";
export * from "./list-transactions.ts";
export * from "./metadata.ts";
export * from "./offset-commit.ts";
export * from "./offset-delete.ts";
export * from "./offset-fetch.ts";
export * from "./offset-for-leader-epoch.ts";
export * from "./produce.ts";
export * from "./push-telemetry.ts";
export * from "./renew-delegation-token.ts";
export * from "./sasl-authenticate.ts";
export * from "./sasl-handshake.ts";
export * from "./sync-group.ts";
export * from "./txn-offset-commit.ts";
export * from "./update-features.ts";
export * from "./write-txn-markers.ts";

export const allApis: readonly ApiDecl[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  AlterReplicaLogDirs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  CreateDelegationToken,
  RenewDelegationToken,
  ExpireDelegationToken,
  DescribeDelegationToken,
  DeleteGroups,
  ElectLeaders,
  IncrementalAlterConfigs,
  AlterPartitionReassignments,
  ListPartitionReassignments,
  OffsetDelete,
  DescribeClientQuotas,
  AlterClientQuotas,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  UpdateFeatures,
  DescribeCluster,
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  GetTelemetrySubscriptions,
  PushTelemetry,
  DescribeTopicPartitions,
];

const byKey = new Map<number, ApiDecl>(allApis.map((api) => [api.apiKey, api]));

export function apiByKey(apiKey: number): ApiDecl | undefined {
  return byKey.get(apiKey);
}
