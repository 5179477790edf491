// DescribeLogDirs (key 35), v0–4: what each data directory holds (KIP-113, KIP-827).
//
// Behaviour (Kafka's ReplicaManager.describeLogDirs):
// - One result per data directory (log.dirs), by absolute path, in configuration order.
// - Each directory lists the partitions whose logs live in it: size in bytes of all segments,
//   offsetLag 0 (the high watermark equals the log end offset on one replica), isFutureKey false.
//   Topics are sorted by name and partitions by index; topics with no listed partition are left
//   out, as Kafka does.
// - topics: null describes every partition; otherwise only the named topic-partitions (unknown
//   ones are simply absent).
// - totalBytes/usableBytes (v4) from statfs of the directory's volume (usable = available to
//   this user, as Java's FileStore.getUsableSpace).
// - A directory that failed to load at start-up, or whose volume cannot be queried, answers
//   KAFKA_STORAGE_ERROR with no topics. Partitions taken offline by an I/O error are not listed.
// - The top-level errorCode (v3+) is always NONE: there are no ACLs to refuse.
//
// Not implemented: future logs (AlterReplicaLogDirs), CLUSTER_AUTHORIZATION_FAILED, throttling.

import { statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  DescribeLogDirs,
  type DescribeLogDirsRequest,
  type DescribeLogDirsResponseInput,
  ErrorCode,
} from "@nagare/protocol";
import type { PartitionLog } from "@nagare/storage";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";

type DirResult = NonNullable<DescribeLogDirsResponseInput["results"]>[number];
type DirTopic = NonNullable<DirResult["topics"]>[number];

interface HostedLog {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
}

/** The topic-partitions asked for, or undefined for all of them. */
function wantedPartitions(request: DescribeLogDirsRequest): Set<string> | undefined {
  if (request.topics === null) return undefined;
  const wanted = new Set<string>();
  for (const topic of request.topics)
    for (const p of topic.partitions) wanted.add(`${topic.topic}\u0000${p}`);
  return wanted;
}

function describeTopics(logs: readonly HostedLog[]): DirTopic[] {
  const byTopic = new Map<string, HostedLog[]>();
  for (const entry of logs) {
    const list = byTopic.get(entry.topic);
    if (list) list.push(entry);
    else byTopic.set(entry.topic, [entry]);
  }
  return [...byTopic.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({
      name,
      partitions: (byTopic.get(name) ?? [])
        .sort((a, b) => a.partition - b.partition)
        .map(({ partition, log }) => ({
          partitionIndex: partition,
          partitionSize: BigInt(log.size),
          offsetLag: 0n,
          isFutureKey: false,
        })),
    }));
}

async function describeDir(
  dataDir: string,
  logs: readonly HostedLog[],
  offline: ReadonlySet<string>,
  ctx: RequestContext,
): Promise<DirResult> {
  const logDir = resolve(dataDir);
  const failed = { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir, topics: [] };
  if (offline.has(logDir)) return failed;
  try {
    const volume = await statfs(logDir, { bigint: true });
    return {
      errorCode: ErrorCode.NONE,
      logDir,
      topics: describeTopics(logs),
      totalBytes: volume.blocks * volume.bsize,
      usableBytes: volume.bavail * volume.bsize,
    };
  } catch (error) {
    ctx.services.logger.warn({ logDir, error: String(error) }, "cannot describe a log directory");
    return failed;
  }
}

export const describeLogDirsHandler = defineHandler({
  api: DescribeLogDirs,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const { logs } = ctx.services;
    const wanted = wantedPartitions(request);
    const offline = new Set(logs.offlineDirs.map((d) => resolve(d.dataDir)));
    const byDir = new Map<string, HostedLog[]>();
    for (const entry of logs.allLogs()) {
      if (entry.log.offline) continue;
      if (wanted && !wanted.has(`${entry.topic}\u0000${entry.partition}`)) continue;
      const dir = dirname(resolve(entry.log.dir));
      const list = byDir.get(dir);
      if (list) list.push(entry);
      else byDir.set(dir, [entry]);
    }
    const dirs = [...new Set(logs.logDirs.map((d) => resolve(d)))];
    const results = await Promise.all(
      dirs.map((dir) => describeDir(dir, byDir.get(dir) ?? [], offline, ctx)),
    );
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
  },
  // v0–2 have no top-level error code: an empty result list is all they can carry.
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, results: [] }),
});
