// The admin client: topics, configs, consumer groups and their offsets, records deletion, the
// cluster and its log dirs — what kafka-topics.sh, kafka-configs.sh and kafka-consumer-groups.sh
// do, as promises. Each call goes where Kafka routes it: topic changes to the controller, group
// calls to the group's coordinator, offsets lookups and record deletion to partition leaders.

import {
  CreatePartitions,
  CreateTopics,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeCluster,
  DescribeConfigs,
  DescribeGroups,
  DescribeLogDirs,
  IncrementalAlterConfigs,
  ListGroups,
  ListOffsets,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
} from "@nagare/protocol";
import { Cluster, type ClusterOptions, type TopicInfo } from "../cluster/cluster.ts";
import type { BrokerConnection } from "../connection/broker-connection.ts";
import { KafkaProtocolError, throwIfError } from "../errors.ts";
import type { TopicPartition } from "../types.ts";
import {
  type ConfigEntry,
  type ConfigOp,
  type ConfigResource,
  configEntry,
  opCode,
  resourceTypeCode,
} from "./configs.ts";
import { decodeMemberAssignment } from "./member-assignment.ts";
import { type OffsetSpec, offsetSpecTimestamp } from "./offset-spec.ts";
import { plannedResets, type ResetTarget } from "./reset-offsets.ts";

export interface AdminOptions extends Partial<ClusterOptions> {
  readonly brokers?: readonly string[];
  readonly cluster?: Cluster;
  /** For CreateTopics/DeleteTopics/CreatePartitions/DeleteRecords (default 30 s). */
  readonly operationTimeoutMs?: number;
}

export interface NewTopic {
  readonly name: string;
  /** -1: the broker's num.partitions. */
  readonly partitions?: number;
  /** -1: the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: string;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Decoded from the consumer protocol assignment (empty for other protocols or non-Stable groups). */
  readonly assignment: readonly TopicPartition[];
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly GroupMemberDescription[];
  readonly errorCode: number;
}

export interface CommittedOffset extends TopicPartition {
  /** -1 when the group has no offset for the partition. */
  readonly offset: bigint;
  readonly metadata: string | null;
  readonly leaderEpoch: number;
}

export interface PartitionLag extends TopicPartition {
  readonly committed: bigint;
  readonly logEndOffset: bigint;
  /** logEndOffset − committed; undefined without a committed offset. */
  readonly lag: bigint | undefined;
}

const zeroUuid = "00000000-0000-0000-0000-000000000000";

export class Admin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly timeoutMs: number;

  constructor(options: AdminOptions) {
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.brokers) throw new TypeError("Admin needs brokers or a cluster");
      this.cluster = new Cluster({ ...options, brokers: options.brokers });
      this.ownsCluster = true;
    }
    this.timeoutMs = options.operationTimeoutMs ?? 30_000;
  }

  async connect(): Promise<void> {
    await this.cluster.refresh();
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }

  private async controller(): Promise<BrokerConnection> {
    const snapshot = await this.cluster.refresh();
    return snapshot.controllerId >= 0
      ? this.cluster.connectToNode(snapshot.controllerId)
      : this.cluster.anyConnection();
  }

  // ---- topics ----------------------------------------------------------------------------------

  async createTopics(topics: readonly NewTopic[], options: { validateOnly?: boolean } = {}): Promise<void> {
    const connection = await this.controller();
    const response = await connection.send(CreateTopics, {
      topics: topics.map((t) => ({
        name: t.name,
        numPartitions: t.partitions ?? -1,
        replicationFactor: t.replicationFactor ?? -1,
        assignments: [],
        configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
      timeoutMs: this.timeoutMs,
      validateOnly: options.validateOnly ?? false,
    });
    for (const t of response.topics)
      throwIfError(t.errorCode, `create topic ${t.name}${t.errorMessage ? ` (${t.errorMessage})` : ""}`);
    if (!options.validateOnly) await this.cluster.refresh();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    const connection = await this.controller();
    const response = await connection.send(DeleteTopics, {
      topicNames: [...names],
      topics: names.map((name) => ({ name, topicId: zeroUuid })),
      timeoutMs: this.timeoutMs,
    });
    for (const r of response.responses) throwIfError(r.errorCode, `delete topic ${r.name ?? r.topicId}`);
    await this.cluster.refresh();
  }

  /** Topic names, sorted; internal topics only when asked for. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const snapshot = await this.cluster.allTopics();
    return [...snapshot.values()]
      .filter((t) => options.includeInternal === true || !t.isInternal)
      .map((t) => t.name)
      .sort();
  }

  async describeTopics(names: readonly string[]): Promise<TopicInfo[]> {
    const all = await this.cluster.allTopics();
    return names.map((name) => {
      const topic = all.get(name);
      if (!topic) throw new KafkaProtocolError(3, `describe topic ${name}`); // UNKNOWN_TOPIC_OR_PARTITION
      throwIfError(topic.errorCode, `describe topic ${name}`);
      return topic;
    });
  }

  async createPartitions(topics: readonly { topic: string; count: number }[]): Promise<void> {
    const connection = await this.controller();
    const response = await connection.send(CreatePartitions, {
      topics: topics.map((t) => ({ name: t.topic, count: t.count, assignments: null })),
      timeoutMs: this.timeoutMs,
      validateOnly: false,
    });
    for (const r of response.results)
      throwIfError(
        r.errorCode,
        `create partitions of ${r.name}${r.errorMessage ? ` (${r.errorMessage})` : ""}`,
      );
    await this.cluster.refresh();
  }

  // ---- configs ---------------------------------------------------------------------------------

  async describeConfigs(
    resources: readonly ConfigResource[],
  ): Promise<{ resource: ConfigResource; entries: ConfigEntry[] }[]> {
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(DescribeConfigs, {
      resources: resources.map((r) => ({
        resourceType: resourceTypeCode(r.type),
        resourceName: r.name,
        configurationKeys: null,
      })),
      includeSynonyms: true,
      includeDocumentation: true,
    });
    return response.results.map((result, i) => {
      throwIfError(
        result.errorCode,
        `describe configs of ${result.resourceName}${result.errorMessage ? ` (${result.errorMessage})` : ""}`,
      );
      return { resource: resources[i] as ConfigResource, entries: result.configs.map(configEntry) };
    });
  }

  async incrementalAlterConfigs(
    changes: readonly { resource: ConfigResource; ops: readonly ConfigOp[] }[],
    options: { validateOnly?: boolean } = {},
  ): Promise<void> {
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(IncrementalAlterConfigs, {
      resources: changes.map((c) => ({
        resourceType: resourceTypeCode(c.resource.type),
        resourceName: c.resource.name,
        configs: c.ops.map((op) => ({
          name: op.name,
          configOperation: opCode(op.op),
          value: op.value ?? null,
        })),
      })),
      validateOnly: options.validateOnly ?? false,
    });
    for (const r of response.responses)
      throwIfError(
        r.errorCode,
        `alter configs of ${r.resourceName}${r.errorMessage ? ` (${r.errorMessage})` : ""}`,
      );
  }

  // ---- offsets of partitions -------------------------------------------------------------------

  /** Offsets per partition by spec (earliest, latest, a timestamp, max-timestamp). */
  async listOffsets(
    requests: readonly (TopicPartition & { spec: OffsetSpec })[],
    options: { isolationLevel?: "read_uncommitted" | "read_committed" } = {},
  ): Promise<(TopicPartition & { offset: bigint; timestamp: bigint })[]> {
    // A partition may appear once per request (brokers answer INVALID_REQUEST otherwise): several
    // specs for one partition go out in successive rounds.
    const rounds: (TopicPartition & { spec: OffsetSpec })[][] = [];
    for (const r of requests) {
      const round = rounds.find(
        (list) => !list.some((x) => x.topic === r.topic && x.partition === r.partition),
      );
      if (round) round.push(r);
      else rounds.push([r]);
    }
    const out: (TopicPartition & { offset: bigint; timestamp: bigint })[] = [];
    for (const round of rounds) out.push(...(await this.listOffsetsOnce(round, options)));
    // Answers in the order asked.
    return requests.map((r) => {
      const index = out.findIndex((o) => o.topic === r.topic && o.partition === r.partition);
      const [found] = out.splice(index, 1);
      return found as TopicPartition & { offset: bigint; timestamp: bigint };
    });
  }

  private async listOffsetsOnce(
    requests: readonly (TopicPartition & { spec: OffsetSpec })[],
    options: { isolationLevel?: "read_uncommitted" | "read_committed" },
  ): Promise<(TopicPartition & { offset: bigint; timestamp: bigint })[]> {
    const byLeader = new Map<number, (TopicPartition & { spec: OffsetSpec })[]>();
    for (const r of requests) {
      const leader = await this.cluster.leaderFor(r.topic, r.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), r]);
    }
    const out: (TopicPartition & { offset: bigint; timestamp: bigint })[] = [];
    for (const [leader, list] of byLeader) {
      const connection = await this.cluster.connectToNode(leader);
      const topics = groupByTopic(list);
      const response = await connection.send(ListOffsets, {
        replicaId: -1,
        isolationLevel: options.isolationLevel === "read_committed" ? 1 : 0,
        topics: [...topics].map(([name, parts]) => ({
          name,
          partitions: parts.map((p) => ({
            partitionIndex: p.partition,
            currentLeaderEpoch: -1,
            timestamp: offsetSpecTimestamp(p.spec),
            maxNumOffsets: 1,
          })),
        })),
        timeoutMs: this.timeoutMs,
      });
      for (const t of response.topics)
        for (const p of t.partitions) {
          throwIfError(p.errorCode, `list offsets of ${t.name}-${p.partitionIndex}`);
          out.push({ topic: t.name, partition: p.partitionIndex, offset: p.offset, timestamp: p.timestamp });
        }
    }
    return out;
  }

  /** DeleteRecords: every record below `offset` goes; returns the new log start offsets. */
  async deleteRecords(
    requests: readonly (TopicPartition & { offset: bigint })[],
  ): Promise<(TopicPartition & { lowWatermark: bigint })[]> {
    const out: (TopicPartition & { lowWatermark: bigint })[] = [];
    for (const r of requests) {
      const connection = await this.cluster.connectToNode(await this.cluster.leaderFor(r.topic, r.partition));
      const response = await connection.send(DeleteRecords, {
        topics: [{ name: r.topic, partitions: [{ partitionIndex: r.partition, offset: r.offset }] }],
        timeoutMs: this.timeoutMs,
      });
      const p = response.topics[0]?.partitions[0];
      if (!p) throw new KafkaProtocolError(-1, `delete records of ${r.topic}-${r.partition}: empty answer`);
      throwIfError(p.errorCode, `delete records of ${r.topic}-${r.partition}`);
      out.push({ topic: r.topic, partition: r.partition, lowWatermark: p.lowWatermark });
    }
    return out;
  }

  // ---- groups ----------------------------------------------------------------------------------

  async listGroups(options: { states?: readonly string[] } = {}): Promise<GroupListing[]> {
    const snapshot = await this.cluster.refresh();
    const out: GroupListing[] = [];
    for (const nodeId of snapshot.brokers.keys()) {
      const connection = await this.cluster.connectToNode(nodeId);
      const response = await connection.send(ListGroups, {
        statesFilter: [...(options.states ?? [])],
        typesFilter: [],
      });
      throwIfError(response.errorCode, "list groups");
      for (const g of response.groups)
        out.push({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState });
    }
    return out.sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      const connection = await this.cluster.coordinator("group", groupId);
      const response = await connection.send(DescribeGroups, {
        groups: [groupId],
        includeAuthorizedOperations: false,
      });
      const g = response.groups[0];
      if (!g) throw new KafkaProtocolError(-1, `describe group ${groupId}: empty answer`);
      out.push({
        groupId: g.groupId,
        state: g.groupState,
        protocolType: g.protocolType,
        protocol: g.protocolData,
        errorCode: g.errorCode,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: g.protocolType === "consumer" ? decodeMemberAssignment(m.memberAssignment) : [],
        })),
      });
    }
    return out;
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    for (const groupId of groupIds) {
      const connection = await this.cluster.coordinator("group", groupId);
      const response = await connection.send(DeleteGroups, { groupsNames: [groupId] });
      for (const r of response.results) throwIfError(r.errorCode, `delete group ${r.groupId}`);
    }
  }

  /** Committed offsets of a group (every partition it has an offset for when `partitions` is omitted). */
  async listGroupOffsets(
    groupId: string,
    partitions?: readonly TopicPartition[],
  ): Promise<CommittedOffset[]> {
    const connection = await this.cluster.coordinator("group", groupId);
    const topics = partitions
      ? [...groupByTopic(partitions)].map(([name, ps]) => ({
          name,
          partitionIndexes: ps.map((p) => p.partition),
        }))
      : null;
    const version = connection.versionFor(OffsetFetch, 7);
    const response = await connection.send(
      OffsetFetch,
      { groupId, topics, groups: [], requireStable: true },
      version === undefined ? {} : { version },
    );
    throwIfError(response.errorCode, `offsets of group ${groupId}`);
    return response.topics.flatMap((t) =>
      t.partitions.map((p) => {
        throwIfError(p.errorCode, `offset of group ${groupId} for ${t.name}-${p.partitionIndex}`);
        return {
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.metadata,
          leaderEpoch: p.committedLeaderEpoch,
        };
      }),
    );
  }

  /** Sets a group's offsets (the group must have no active members: a standalone commit). */
  async alterGroupOffsets(
    groupId: string,
    offsets: readonly (TopicPartition & { offset: bigint })[],
  ): Promise<void> {
    const connection = await this.cluster.coordinator("group", groupId);
    const response = await connection.send(OffsetCommit, {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: "",
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [...groupByTopic(offsets)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.offset,
          committedLeaderEpoch: -1,
          commitTimestamp: -1n,
          committedMetadata: "",
        })),
      })),
    });
    for (const t of response.topics)
      for (const p of t.partitions)
        throwIfError(p.errorCode, `commit ${groupId} ${t.name}-${p.partitionIndex}`);
  }

  /**
   * Moves a group's offsets for `topics` (or every topic it has offsets for) to `target`; with
   * dryRun, only computes them. The group must have no active members. Returns the new offsets.
   */
  async resetGroupOffsets(
    groupId: string,
    topics: readonly string[] | "all",
    target: ResetTarget,
    options: { dryRun?: boolean } = {},
  ): Promise<(TopicPartition & { offset: bigint })[]> {
    const planned = await plannedResets(this, groupId, topics, target);
    if (!options.dryRun && planned.length > 0) await this.alterGroupOffsets(groupId, planned);
    return planned;
  }

  /** OffsetDelete: removes a group's offsets for partitions it no longer consumes. */
  async deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    const connection = await this.cluster.coordinator("group", groupId);
    const response = await connection.send(OffsetDelete, {
      groupId,
      topics: [...groupByTopic(partitions)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({ partitionIndex: p.partition })),
      })),
    });
    throwIfError(response.errorCode, `delete offsets of group ${groupId}`);
    for (const t of response.topics)
      for (const p of t.partitions)
        throwIfError(p.errorCode, `delete offset ${groupId} ${t.name}-${p.partitionIndex}`);
  }

  /** Committed offset, log end offset and lag for every partition the group has an offset for. */
  async groupLag(groupId: string): Promise<PartitionLag[]> {
    const committed = await this.listGroupOffsets(groupId);
    if (committed.length === 0) return [];
    const ends = await this.listOffsets(
      committed.map((c) => ({ topic: c.topic, partition: c.partition, spec: "latest" as const })),
    );
    const endOf = new Map(ends.map((e) => [`${e.topic}:${e.partition}`, e.offset]));
    return committed
      .map((c) => {
        const logEndOffset = endOf.get(`${c.topic}:${c.partition}`) ?? -1n;
        return {
          topic: c.topic,
          partition: c.partition,
          committed: c.offset,
          logEndOffset,
          lag: c.offset >= 0n && logEndOffset >= 0n ? logEndOffset - c.offset : undefined,
        };
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  // ---- cluster ---------------------------------------------------------------------------------

  async describeCluster(): Promise<{
    clusterId: string;
    controllerId: number;
    brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  }> {
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(DescribeCluster, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
      includeFencedBrokers: false,
    });
    throwIfError(response.errorCode, "describe cluster");
    return {
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      brokers: response.brokers.map((b) => ({
        nodeId: b.brokerId,
        host: b.host,
        port: b.port,
        rack: b.rack,
      })),
    };
  }

  async describeLogDirs(): Promise<
    { nodeId: number; logDir: string; errorCode: number; partitions: (TopicPartition & { size: bigint })[] }[]
  > {
    const snapshot = await this.cluster.refresh();
    const out: {
      nodeId: number;
      logDir: string;
      errorCode: number;
      partitions: (TopicPartition & { size: bigint })[];
    }[] = [];
    for (const nodeId of snapshot.brokers.keys()) {
      const connection = await this.cluster.connectToNode(nodeId);
      const response = await connection.send(DescribeLogDirs, { topics: null });
      for (const r of response.results)
        out.push({
          nodeId,
          logDir: r.logDir,
          errorCode: r.errorCode,
          partitions: r.topics.flatMap((t) =>
            t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, size: p.partitionSize })),
          ),
        });
    }
    return out;
  }
}

function groupByTopic<P extends TopicPartition>(partitions: readonly P[]): Map<string, P[]> {
  const out = new Map<string, P[]>();
  for (const p of partitions) out.set(p.topic, [...(out.get(p.topic) ?? []), p]);
  return out;
}
