// A minimal in-memory Kafka broker used only to capture request fixtures from real clients. It is
// not Nagare's broker: one node (id 1, itself), no storage, no validation beyond what the clients
// need to finish their work, groups that complete a join at once (one member per group in
// practice). Every request frame is recorded byte for byte (the payload after the size prefix).
//
// Served: ApiVersions, Metadata (auto-creates topics), Produce (v2 batches kept in memory,
// baseOffset patched through the header view), Fetch (long-polls up to maxWaitMs), ListOffsets,
// FindCoordinator (single and batched), JoinGroup (MEMBER_ID_REQUIRED handshake from v4),
// SyncGroup, Heartbeat, OffsetCommit, OffsetFetch, LeaveGroup, InitProducerId, CreateTopics. The
// advertised maximum versions are what a Kafka 3.x broker served (capped to our declarations), so
// each client picks its own highest. Anything else is answered with UNSUPPORTED_VERSION where the
// response has a top-level error code, or the connection is closed.

import { randomUUID } from "node:crypto";
import { createServer, type Socket } from "node:net";
import * as m from "@nagare/protocol";
import {
  type ApiDecl,
  apiCodec,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  FrameSplitter,
  peekRequestHeader,
  type RequestValue,
  type ResponseInput,
} from "@nagare/protocol";
import { BatchHeader, splitBatches } from "@nagare/protocol/records";

export interface CapturedFrame {
  readonly connection: number;
  readonly apiKey: number;
  readonly apiVersion: number;
  /** The request exactly as received, without the 4-byte size prefix. */
  readonly frame: Buffer;
}

export interface FakeBrokerOptions {
  /** Partitions of an auto-created topic (default 1). */
  readonly partitions?: (topic: string) => number;
  /** Upper bound on how long a Fetch may wait for data, whatever the client asks (default 1000). */
  readonly maxFetchWaitMs?: number;
  readonly log?: (line: string) => void;
}

export interface FakeBroker {
  readonly port: number;
  readonly frames: readonly CapturedFrame[];
  close(): Promise<void>;
}

const nodeId = 1;
const host = "127.0.0.1";
const emptyBytes = Buffer.alloc(0);

/** Max versions served, as a Kafka 3.x broker advertised them; min is 0 for all. */
const servedMax = new Map<number, number>([
  [m.Produce.apiKey, 9],
  [m.Fetch.apiKey, 12],
  [m.ListOffsets.apiKey, 7],
  [m.Metadata.apiKey, 12],
  [m.OffsetCommit.apiKey, 8],
  [m.OffsetFetch.apiKey, 8],
  [m.FindCoordinator.apiKey, 4],
  [m.JoinGroup.apiKey, 9],
  [m.Heartbeat.apiKey, 4],
  [m.LeaveGroup.apiKey, 5],
  [m.SyncGroup.apiKey, 5],
  [m.ApiVersions.apiKey, 3],
  [m.CreateTopics.apiKey, 7],
  [m.InitProducerId.apiKey, 4],
]);

interface Member {
  protocols: { name: string; metadata: Buffer }[];
  groupInstanceId: string | null;
  lastSeenMs: number;
  sessionTimeoutMs: number;
}

interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

interface Group {
  generationId: number;
  protocolType: string;
  protocolName: string;
  leader: string;
  members: Map<string, Member>;
  assignments: Map<string, Buffer>;
  offsets: Map<string, Map<number, CommittedOffset>>;
}

interface Topic {
  id: string;
  /** Per partition: stored batches (baseOffset patched) and the next offset. */
  partitions: { batches: Buffer[]; nextOffset: bigint }[];
}

type Reply = Buffer[] | null;

export async function startFakeBroker(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const partitionsFor = options.partitions ?? (() => 1);
  const maxFetchWaitMs = options.maxFetchWaitMs ?? 1000;
  const log = options.log ?? (() => {});
  const frames: CapturedFrame[] = [];
  const topics = new Map<string, Topic>();
  const groups = new Map<string, Group>();
  const sockets = new Set<Socket>();
  const dataWaiters = new Set<() => void>();
  let connections = 0;
  let memberSeq = 0;
  let nextProducerId = 1000n;
  let port = 0;

  const createTopic = (name: string, count: number): Topic => {
    const partitions = Array.from({ length: Math.max(1, count) }, () => ({
      batches: [] as Buffer[],
      nextOffset: 0n,
    }));
    const topic = { id: randomUUID(), partitions };
    topics.set(name, topic);
    log(`created topic ${name} with ${partitions.length} partition(s)`);
    return topic;
  };

  const groupFor = (groupId: string): Group => {
    let group = groups.get(groupId);
    if (!group) {
      group = {
        generationId: 0,
        protocolType: "",
        protocolName: "",
        leader: "",
        members: new Map(),
        assignments: new Map(),
        offsets: new Map(),
      };
      groups.set(groupId, group);
    }
    return group;
  };

  /** Resolves after `ms`, or earlier when a Produce appends data. */
  const waitForData = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        dataWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      dataWaiters.add(done);
    });

  const apiVersions = (version: number): m.ApiVersionsResponseInput => {
    const apiKeys = [...servedMax].map(([apiKey, max]) => {
      const api = m.apiByKey(apiKey) as ApiDecl;
      return { apiKey, minVersion: 0, maxVersion: Math.min(max, apiCodec(api).maxVersion) };
    });
    const ok = version <= (servedMax.get(m.ApiVersions.apiKey) as number);
    return { errorCode: ok ? 0 : ErrorCode.UNSUPPORTED_VERSION, apiKeys };
  };

  const metadata = (req: m.MetadataRequest, version: number): m.MetadataResponseInput => {
    // v0: an empty list means every topic; v1+: null does.
    const all = req.topics === null || (version === 0 && req.topics.length === 0);
    const names = all ? [...topics.keys()] : (req.topics ?? []).map((t) => t.name ?? "");
    const autoCreate = version < 4 || req.allowAutoTopicCreation;
    return {
      brokers: [{ nodeId, host, port, rack: null }],
      clusterId: "nagare-fixtures",
      controllerId: nodeId,
      topics: names.map((name) => {
        let topic = topics.get(name);
        if (!topic && autoCreate && name !== "") topic = createTopic(name, partitionsFor(name));
        if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
        return {
          errorCode: 0,
          name,
          topicId: topic.id,
          partitions: topic.partitions.map((_, partitionIndex) => ({
            errorCode: 0,
            partitionIndex,
            leaderId: nodeId,
            leaderEpoch: 0,
            replicaNodes: [nodeId],
            isrNodes: [nodeId],
            offlineReplicas: [],
          })),
        };
      }),
    };
  };

  const produce = (req: m.ProduceRequest): m.ProduceResponseInput | null => {
    const responses = req.topicData.map((data) => ({
      name: data.name,
      partitionResponses: data.partitionData.map((part) => {
        const log = topics.get(data.name)?.partitions[part.index];
        if (!log)
          return { index: part.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1n };
        // Copy first: the captured frame must stay exactly as received.
        const records = Buffer.from(part.records ?? emptyBytes);
        const split = splitBatches(records);
        if (split.truncatedTail || split.batches.length === 0)
          return { index: part.index, errorCode: ErrorCode.CORRUPT_MESSAGE, baseOffset: -1n };
        const baseOffset = log.nextOffset;
        for (const span of split.batches) {
          const batch = records.subarray(span.position, span.position + span.size);
          const header = new BatchHeader(batch);
          header.baseOffset = log.nextOffset;
          log.nextOffset = header.nextOffset;
          log.batches.push(batch);
        }
        return { index: part.index, errorCode: 0, baseOffset, logStartOffset: 0n };
      }),
    }));
    for (const wake of [...dataWaiters]) wake();
    return req.acks === 0 ? null : { responses };
  };

  const fetchNow = (req: m.FetchRequest): { response: m.FetchResponseInput; bytes: number } => {
    let bytes = 0;
    const responses = req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const log = topics.get(t.topic)?.partitions[p.partition];
        if (!log)
          return {
            partitionIndex: p.partition,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            records: null,
          };
        const base = { partitionIndex: p.partition, highWatermark: log.nextOffset };
        const marks = { lastStableOffset: log.nextOffset, logStartOffset: 0n, abortedTransactions: [] };
        if (p.fetchOffset > log.nextOffset || p.fetchOffset < 0n)
          return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null };
        // Whole batches from the one holding fetchOffset; always at least one batch.
        const chosen: Buffer[] = [];
        let size = 0;
        for (const batch of log.batches) {
          if (new BatchHeader(batch).nextOffset <= p.fetchOffset) continue;
          if (chosen.length > 0 && size + batch.length > p.partitionMaxBytes) break;
          chosen.push(batch);
          size += batch.length;
        }
        bytes += size;
        return { ...base, ...marks, errorCode: 0, records: Buffer.concat(chosen) };
      }),
    }));
    return { response: { errorCode: 0, sessionId: 0, responses }, bytes };
  };

  const fetch = async (req: m.FetchRequest): Promise<m.FetchResponseInput> => {
    const first = fetchNow(req);
    if (first.bytes > 0 || req.maxWaitMs <= 0) return first.response;
    await waitForData(Math.min(req.maxWaitMs, maxFetchWaitMs));
    return fetchNow(req).response;
  };

  const listOffsets = (req: m.ListOffsetsRequest): m.ListOffsetsResponseInput => ({
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = topics.get(t.name)?.partitions[p.partitionIndex];
        if (!log)
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        // -2 earliest; -1 latest; a real timestamp is answered with the latest too (capture only).
        const offset = p.timestamp === -2n ? 0n : log.nextOffset;
        return {
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          oldStyleOffsets: [offset],
          timestamp: -1n,
          offset,
          leaderEpoch: 0,
        };
      }),
    })),
  });

  const findCoordinator = (req: m.FindCoordinatorRequest): m.FindCoordinatorResponseInput => ({
    errorCode: 0,
    errorMessage: null,
    nodeId,
    host,
    port,
    coordinators: req.coordinatorKeys.map((key) => ({
      key,
      nodeId,
      host,
      port,
      errorCode: 0,
      errorMessage: null,
    })),
  });

  const joinGroup = (req: m.JoinGroupRequest, version: number): m.JoinGroupResponseInput => {
    const group = groupFor(req.groupId);
    let memberId = req.memberId;
    if (memberId === "") {
      memberId = `member-${++memberSeq}-${randomUUID()}`;
      // KIP-394: from v4 the first join only hands out a member id to join with.
      if (version >= 4)
        return { errorCode: ErrorCode.MEMBER_ID_REQUIRED, memberId, protocolName: "", leader: "" };
    }
    const now = Date.now();
    for (const [id, member] of group.members)
      if (id !== memberId && now - member.lastSeenMs > member.sessionTimeoutMs) group.members.delete(id);
    group.members.set(memberId, {
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      groupInstanceId: req.groupInstanceId,
      lastSeenMs: now,
      sessionTimeoutMs: req.sessionTimeoutMs,
    });
    if (!group.members.has(group.leader)) group.leader = memberId;
    group.generationId++;
    group.protocolType = req.protocolType;
    group.protocolName = req.protocols[0]?.name ?? "";
    group.assignments.clear();
    const members =
      group.leader !== memberId
        ? []
        : [...group.members].map(([id, member]) => ({
            memberId: id,
            groupInstanceId: member.groupInstanceId,
            metadata: member.protocols.find((p) => p.name === group.protocolName)?.metadata ?? emptyBytes,
          }));
    return {
      errorCode: 0,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leader,
      memberId,
      members,
    };
  };

  /** The error for a member of a group at a generation, refreshing its liveness when known. */
  const memberError = (groupId: string, memberId: string, generationId: number): number => {
    const group = groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    member.lastSeenMs = Date.now();
    return generationId === group.generationId ? 0 : ErrorCode.REBALANCE_IN_PROGRESS;
  };

  const syncGroup = (req: m.SyncGroupRequest): m.SyncGroupResponseInput => {
    const errorCode = memberError(req.groupId, req.memberId, req.generationId);
    const group = groupFor(req.groupId);
    if (errorCode !== 0) return { errorCode, assignment: emptyBytes };
    if (req.memberId === group.leader)
      for (const a of req.assignments) group.assignments.set(a.memberId, Buffer.from(a.assignment));
    return {
      errorCode,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: group.assignments.get(req.memberId) ?? emptyBytes,
    };
  };

  const offsetCommit = (req: m.OffsetCommitRequest): m.OffsetCommitResponseInput => {
    const group = groupFor(req.groupId);
    return {
      topics: req.topics.map((t) => {
        const stored = group.offsets.get(t.name) ?? new Map<number, CommittedOffset>();
        group.offsets.set(t.name, stored);
        for (const p of t.partitions)
          stored.set(p.partitionIndex, {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata,
          });
        return {
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })),
        };
      }),
    };
  };

  const committed = (groupId: string, wanted: { name: string; partitionIndexes: number[] }[] | null) => {
    const offsets = groups.get(groupId)?.offsets ?? new Map<string, Map<number, CommittedOffset>>();
    const list =
      wanted ?? [...offsets].map(([name, parts]) => ({ name, partitionIndexes: [...parts.keys()] }));
    return list.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const c = offsets.get(t.name)?.get(partitionIndex);
        return {
          partitionIndex,
          committedOffset: c?.offset ?? -1n,
          committedLeaderEpoch: c?.leaderEpoch ?? -1,
          metadata: c ? c.metadata : "",
          errorCode: 0,
        };
      }),
    }));
  };

  const offsetFetch = (req: m.OffsetFetchRequest): m.OffsetFetchResponseInput => ({
    topics: committed(req.groupId, req.topics),
    errorCode: 0,
    groups: req.groups.map((g) => ({
      groupId: g.groupId,
      topics: committed(g.groupId, g.topics),
      errorCode: 0,
    })),
  });

  const leaveGroup = (req: m.LeaveGroupRequest, version: number): m.LeaveGroupResponseInput => {
    const group = groupFor(req.groupId);
    const leaving = version < 3 ? [{ memberId: req.memberId, groupInstanceId: null }] : req.members;
    for (const member of leaving) group.members.delete(member.memberId);
    if (!group.members.has(group.leader)) group.leader = group.members.keys().next().value ?? "";
    return {
      errorCode: 0,
      members: leaving.map((member) => ({ ...member, errorCode: 0 })),
    };
  };

  const createTopics = (req: m.CreateTopicsRequest): m.CreateTopicsResponseInput => ({
    topics: req.topics.map((t) => {
      if (topics.has(t.name))
        return {
          name: t.name,
          errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
          errorMessage: `Topic '${t.name}' already exists.`,
        };
      const count = t.numPartitions > 0 ? t.numPartitions : partitionsFor(t.name);
      const topic = req.validateOnly ? undefined : createTopic(t.name, count);
      return {
        name: t.name,
        topicId: topic?.id ?? "00000000-0000-0000-0000-000000000000",
        errorCode: 0,
        errorMessage: null,
        numPartitions: count,
        replicationFactor: 1,
        configs: [],
      };
    }),
  });

  const respond = <A extends ApiDecl>(
    api: A,
    version: number,
    correlationId: number,
    body: ResponseInput<A>,
  ) => encodeResponse(api, version, { correlationId }, body);

  /** Answers one request; null means no response (acks=0) and undefined closes the connection. */
  const serve = async (frame: Buffer): Promise<Reply | undefined> => {
    const { apiKey, apiVersion: v, correlationId: id } = peekRequestHeader(frame);
    // ApiVersions newer than ours: error 35 with a v0 body listing what we serve (KIP-511).
    if (apiKey === m.ApiVersions.apiKey && v > (servedMax.get(apiKey) as number))
      return respond(m.ApiVersions, 0, id, apiVersions(v));
    const { api, body } = decodeRequest(frame, m.apiByKey);
    // decodeRequest is not generic over the key; the switch below has checked which API this is.
    const req = <A extends ApiDecl>(_api: A): RequestValue<A> => body as unknown as RequestValue<A>;
    const max = servedMax.get(apiKey);
    if (max === undefined || v > max) {
      const defaults = apiCodec(api).responseDefaults(v) as Record<string, unknown>;
      if (!("errorCode" in defaults)) return undefined;
      return respond(api, v, id, { ...defaults, errorCode: ErrorCode.UNSUPPORTED_VERSION });
    }
    switch (apiKey) {
      case m.ApiVersions.apiKey:
        return respond(m.ApiVersions, v, id, apiVersions(v));
      case m.Metadata.apiKey:
        return respond(m.Metadata, v, id, metadata(req(m.Metadata), v));
      case m.Produce.apiKey: {
        const response = produce(req(m.Produce));
        return response === null ? null : respond(m.Produce, v, id, response);
      }
      case m.Fetch.apiKey:
        return respond(m.Fetch, v, id, await fetch(req(m.Fetch)));
      case m.ListOffsets.apiKey:
        return respond(m.ListOffsets, v, id, listOffsets(req(m.ListOffsets)));
      case m.FindCoordinator.apiKey:
        return respond(m.FindCoordinator, v, id, findCoordinator(req(m.FindCoordinator)));
      case m.JoinGroup.apiKey:
        return respond(m.JoinGroup, v, id, joinGroup(req(m.JoinGroup), v));
      case m.SyncGroup.apiKey:
        return respond(m.SyncGroup, v, id, syncGroup(req(m.SyncGroup)));
      case m.Heartbeat.apiKey: {
        const hb = req(m.Heartbeat);
        return respond(m.Heartbeat, v, id, {
          errorCode: memberError(hb.groupId, hb.memberId, hb.generationId),
        });
      }
      case m.OffsetCommit.apiKey:
        return respond(m.OffsetCommit, v, id, offsetCommit(req(m.OffsetCommit)));
      case m.OffsetFetch.apiKey:
        return respond(m.OffsetFetch, v, id, offsetFetch(req(m.OffsetFetch)));
      case m.LeaveGroup.apiKey:
        return respond(m.LeaveGroup, v, id, leaveGroup(req(m.LeaveGroup), v));
      case m.InitProducerId.apiKey:
        return respond(m.InitProducerId, v, id, {
          errorCode: 0,
          producerId: nextProducerId++,
          producerEpoch: 0,
        });
      case m.CreateTopics.apiKey:
        return respond(m.CreateTopics, v, id, createTopics(req(m.CreateTopics)));
      default:
        return undefined;
    }
  };

  const server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    const splitter = new FrameSplitter({ maxFrameBytes: 100 * 1024 * 1024 });
    // Requests on one connection are served one after another, so responses keep request order.
    let queue: Promise<void> = Promise.resolve();
    const handle = async (frame: Buffer): Promise<void> => {
      if (socket.destroyed) return;
      const header = peekRequestHeader(frame);
      frames.push({ connection, apiKey: header.apiKey, apiVersion: header.apiVersion, frame });
      log(`#${connection} ${m.apiByKey(header.apiKey)?.name ?? header.apiKey} v${header.apiVersion}`);
      try {
        const reply = await serve(frame);
        if (reply === undefined) {
          log(`#${connection} closing: api ${header.apiKey} v${header.apiVersion} is not served`);
          socket.destroy();
        } else if (reply !== null && !socket.destroyed) {
          socket.cork();
          for (const chunk of reply) socket.write(chunk);
          socket.uncork();
        }
      } catch (error) {
        log(`#${connection} closing after error: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
      }
    };
    socket.on("data", (chunk: Buffer) => {
      let complete: Buffer[];
      try {
        complete = splitter.push(chunk);
      } catch (error) {
        log(`#${connection} bad frame: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
        return;
      }
      for (const frame of complete) {
        const copy = Buffer.from(frame);
        queue = queue.then(() => handle(copy));
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake broker has no TCP address");
  port = address.port;
  log(`fake broker listening on ${host}:${port}`);

  return {
    port,
    frames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const wake of [...dataWaiters]) wake();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
