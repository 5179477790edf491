// Consumer-group members for the group end-to-end tests, one shape for every client: kafka-python
// and confluent-kafka (py-group-client.py in a child process), kcat -G (librdkafka's balanced
// consumer in a child process) and kafkajs (in process). Each member records what it received,
// every assignment it was given and, where the client says, its generation and manual commits.
// Children are killed by PID: close() asks for a graceful leave and SIGKILLs after a deadline,
// kill() is a crash (no LeaveGroup). Plus the admin-side helpers the tests share.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import {
  type Admin,
  AssignerProtocol,
  type Consumer,
  Kafka,
  logLevel,
  type PartitionAssigner,
  PartitionAssigners,
} from "kafkajs";
import { debianPython } from "./clients.ts";
import { LineChild } from "./line-child.ts";
import { kcat } from "./messages.ts";

export const pyGroupClient = fileURLToPath(new URL("./py-group-client.py", import.meta.url));

/**
 * Broker configs for group tests: rebalances start at once and short session timeouts are
 * accepted (Kafka's defaults are 3000 and 6000 ms).
 */
export const groupBrokerConfig: Readonly<Record<string, string>> = {
  "group.initial.rebalance.delay.ms": "0",
  "group.min.session.timeout.ms": "1000",
};

export interface Received {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string | null;
}

export interface AssignmentEvent {
  /** `topic:partition`, sorted. */
  readonly parts: readonly string[];
  /** The group generation the assignment belongs to, when the client exposes it. */
  readonly generation: number | null;
  readonly memberId: string | null;
  readonly atMs: number;
}

export interface GroupMember {
  readonly name: string;
  readonly received: Received[];
  readonly assignments: AssignmentEvent[];
  /** Next offset per `topic:partition` of every manual commit the client confirmed. */
  readonly committed: Map<string, number>;
  /** The latest assignment (empty before the first). */
  current(): readonly string[];
  /** Leaves the group gracefully (auto-commit clients commit first). */
  close(): Promise<void>;
  /** What the client logged, for failure messages. */
  log(): string;
}

export const tp = (topic: string, partition: number): string => `${topic}:${partition}`;

const sortParts = (parts: Iterable<string>): string[] =>
  [...parts].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs` with `detail()`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  detail: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await delay(50);
  }
}

/** A child-process member: stdout lines are parsed by `onLine`, stderr is kept for reports. */
abstract class ChildMember implements GroupMember {
  readonly received: Received[] = [];
  readonly assignments: AssignmentEvent[] = [];
  readonly committed = new Map<string, number>();
  private readonly process: LineChild;
  protected readonly child: ChildProcess;
  protected readonly exited: Promise<number | null>;
  readonly name: string;

  constructor(name: string, command: string, args: readonly string[]) {
    this.name = name;
    // (If this test process dies, a Python client sees stdin EOF and leaves the group on its own.)
    this.process = new LineChild(
      command,
      args,
      (line) => this.onLine(line),
      (text) => this.onStderr(text),
    );
    this.child = this.process.child;
    this.exited = this.process.exited;
  }

  get pid(): number {
    return this.process.pid;
  }

  protected abstract onLine(line: string): void;
  protected onStderr(_text: string): void {}
  protected abstract requestClose(): void;

  current(): readonly string[] {
    return this.assignments.at(-1)?.parts ?? [];
  }

  running(): boolean {
    return this.process.running();
  }

  /** Asks for a graceful close (unless the client already exited) and expects exit code 0. */
  close(timeoutMs = 30_000): Promise<void> {
    return this.process.close(
      this.name,
      () => this.requestClose(),
      timeoutMs,
      () => this.log(),
    );
  }

  /** A crash: SIGKILL, so the client sends no LeaveGroup and commits nothing more. */
  kill(): Promise<void> {
    return this.process.kill();
  }

  log(): string {
    return `--- ${this.name} (pid ${this.pid}) stderr ---\n${this.process.stderr}`;
  }
}

export interface PyMemberOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly autoOffsetReset?: "earliest" | "latest";
  readonly autoCommit?: boolean;
  readonly autoCommitIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Assignor protocol names, in preference order (both libraries know "range" and "roundrobin"). */
  readonly strategy?: readonly string[];
  /** group.instance.id (static membership, KIP-345): confluent-kafka only. */
  readonly instanceId?: string;
  /** Process this many messages, commit them (manual mode) and close. */
  readonly stopAfter?: number;
  readonly clientId?: string;
}

/** A kafka-python or confluent-kafka KafkaConsumer subscribed in a group (py-group-client.py). */
export class PyMember extends ChildMember {
  private closedCleanly = false;

  constructor(
    lib: "kafka-python" | "confluent-kafka",
    bootstrap: string,
    options: PyMemberOptions,
    name = `${lib}/${options.group}`,
  ) {
    super(name, debianPython, [pyGroupClient, lib, JSON.stringify({ bootstrap, ...options })]);
  }

  protected onLine(line: string): void {
    const event = JSON.parse(line) as {
      ev: string;
      parts?: [string, number][];
      gen?: number | null;
      member?: string | null;
      t?: string;
      p?: number;
      o?: number;
      v?: string | null;
      offsets?: [string, number, number][];
    };
    switch (event.ev) {
      case "assigned":
        this.assignments.push({
          parts: sortParts((event.parts ?? []).map(([t, p]) => tp(t, p))),
          generation: event.gen ?? null,
          memberId: event.member ?? null,
          atMs: Date.now(),
        });
        break;
      case "msg":
        this.received.push({
          topic: event.t ?? "",
          partition: event.p ?? -1,
          offset: event.o ?? -1,
          value: event.v ?? null,
        });
        break;
      case "committed":
        for (const [t, p, next] of event.offsets ?? []) this.committed.set(tp(t, p), next);
        break;
      case "closed":
        this.closedCleanly = true;
        break;
      // "revoked" and "commit-failed" need no bookkeeping: assignments and commits say it all.
    }
  }

  protected requestClose(): void {
    this.child.stdin?.end("close\n");
  }

  /** True once the client reported its consumer closed (after stopAfter, or on close()). */
  get closed(): boolean {
    return this.closedCleanly;
  }
}

export interface KcatMemberOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly sessionTimeoutMs?: number;
  /** More `-X key=value` librdkafka properties. */
  readonly properties?: Readonly<Record<string, string>>;
}

/**
 * kcat -G: librdkafka's balanced consumer, auto-commit on (its default). Messages come as -J JSON on
 * stdout; assignments from the "% Group … rebalanced (memberid …): assigned: t [0], t [3]" lines
 * on stderr. Deliberately no `-o beginning`: in -G mode kcat applies -o to every assignment,
 * overriding committed offsets; auto.offset.reset=earliest only applies when there is no commit.
 */
export class KcatMember extends ChildMember {
  private stderrPartial = "";

  constructor(bootstrap: string, options: KcatMemberOptions, name = `kcat/${options.group}`) {
    const properties: Record<string, string> = {
      "auto.offset.reset": "earliest",
      "session.timeout.ms": String(options.sessionTimeoutMs ?? 6000),
      "heartbeat.interval.ms": "500",
      ...options.properties,
    };
    const args = ["-b", bootstrap, "-G", options.group, "-J", "-u"];
    for (const [key, value] of Object.entries(properties)) args.push("-X", `${key}=${value}`);
    super(name, kcat, [...args, ...options.topics]);
  }

  protected onLine(line: string): void {
    const m = JSON.parse(line) as {
      topic: string;
      partition: number;
      offset: number;
      payload: string | null;
    };
    this.received.push({ topic: m.topic, partition: m.partition, offset: m.offset, value: m.payload });
  }

  protected override onStderr(text: string): void {
    const lines = (this.stderrPartial + text).split("\n");
    this.stderrPartial = lines.pop() ?? "";
    for (const line of lines) {
      const match = /rebalanced \(memberid ([^)]*)\): assigned: (.*)$/.exec(line);
      if (!match) continue;
      const parts = [...(match[2] ?? "").matchAll(/(\S+) \[(\d+)\]/g)].map((m) =>
        tp(m[1] ?? "", Number(m[2])),
      );
      this.assignments.push({
        parts: sortParts(parts),
        generation: null,
        memberId: match[1] ?? null,
        atMs: Date.now(),
      });
    }
  }

  protected requestClose(): void {
    // kcat's SIGTERM handler stops the poll loop, then rd_kafka_consumer_close commits and leaves.
    this.child.kill("SIGTERM");
  }
}

export interface KafkajsMemberOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
  readonly autoCommit?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly assigners?: PartitionAssigner[];
  /** Process this many messages, commit exactly those (autoCommit must be off) and stop processing. */
  readonly stopAfter?: number;
}

/** kafkajs's rebalancing consumer, in this process. kafkajs does not expose the generation. */
export class KafkajsMember implements GroupMember {
  readonly received: Received[] = [];
  readonly assignments: AssignmentEvent[] = [];
  readonly committed = new Map<string, number>();
  readonly crashes: Error[] = [];
  private readonly consumer: Consumer;
  private disconnected = false;
  readonly name: string;
  private readonly options: KafkajsMemberOptions;

  private constructor(name: string, kafka: Kafka, options: KafkajsMemberOptions) {
    this.name = name;
    this.options = options;
    this.consumer = kafka.consumer({
      groupId: options.group,
      sessionTimeout: options.sessionTimeoutMs ?? 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
      ...(options.assigners ? { partitionAssigners: options.assigners } : {}),
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      const parts: string[] = [];
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment))
        for (const p of partitions) parts.push(tp(topic, p));
      this.assignments.push({
        parts: sortParts(parts),
        generation: null,
        memberId: event.payload.memberId,
        atMs: Date.now(),
      });
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.crashes.push(event.payload.error);
    });
  }

  /** Connects, subscribes and runs; disconnected at the end of the test (`defer`) if still running. */
  static async start(
    defer: Defer,
    bootstrap: string,
    options: KafkajsMemberOptions,
    name = `kafkajs/${options.group}`,
  ): Promise<KafkajsMember> {
    const kafka = new Kafka({
      brokers: [bootstrap],
      clientId: name,
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    const member = new KafkajsMember(name, kafka, options);
    defer(() => member.close());
    await member.run();
    return member;
  }

  private async run(): Promise<void> {
    const { stopAfter } = this.options;
    assert.ok(stopAfter === undefined || this.options.autoCommit === false, "stopAfter needs manual commits");
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: this.options.autoCommit ?? true,
      eachMessage: async ({ topic, partition, message }) => {
        // Past stopAfter nothing is processed (nor committed): a restarted member must see it again.
        if (stopAfter !== undefined && this.received.length >= stopAfter) return;
        this.received.push({
          topic,
          partition,
          offset: Number(message.offset),
          value: message.value?.toString() ?? null,
        });
        if (stopAfter !== undefined && this.received.length === stopAfter) {
          const next = new Map<string, { topic: string; partition: number; offset: number }>();
          for (const m of this.received) next.set(tp(m.topic, m.partition), { ...m, offset: m.offset + 1 });
          await this.consumer.commitOffsets(
            [...next.values()].map((n) => ({
              topic: n.topic,
              partition: n.partition,
              offset: String(n.offset),
            })),
          );
          for (const [key, n] of next) this.committed.set(key, n.offset);
        }
      },
    });
  }

  current(): readonly string[] {
    return this.assignments.at(-1)?.parts ?? [];
  }

  /** Commits the given next offsets (with optional metadata) as this member. */
  async commit(
    offsets: readonly { topic: string; partition: number; offset: number; metadata?: string }[],
  ): Promise<void> {
    await this.consumer.commitOffsets(offsets.map((o) => ({ ...o, offset: String(o.offset) })));
    for (const o of offsets) this.committed.set(tp(o.topic, o.partition), o.offset);
  }

  async close(): Promise<void> {
    if (this.disconnected) return;
    this.disconnected = true;
    await this.consumer.disconnect();
  }

  log(): string {
    return `--- ${this.name}: crashes ${this.crashes.map((e) => `${e.name}: ${e.message}`).join("; ")}`;
  }
}

/**
 * kafkajs's round-robin assigner under librdkafka's and kafka-python's protocol name "roundrobin"
 * (kafkajs calls its own "RoundRobinAssigner", which no other client offers). The assignment bytes
 * are Kafka's standard ConsumerProtocol either way. kafkajs's round robin ignores per-member
 * subscriptions, so it is only correct when every member subscribes to the same topics.
 */
export const roundrobinNamedAssigner: PartitionAssigner = (config) => ({
  ...PartitionAssigners.roundRobin(config),
  name: "roundrobin",
});

export function kafkaFor(bootstrap: string, clientId: string): Kafka {
  return new Kafka({ brokers: [bootstrap], clientId, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/** A connected kafkajs admin; disconnected when the test ends. */
export async function openAdmin(defer: Defer, bootstrap: string): Promise<Admin> {
  const admin = kafkaFor(bootstrap, "group-admin").admin();
  await admin.connect();
  defer(() => admin.disconnect());
  return admin;
}

/** A broker with groupBrokerConfig, a kafkajs admin and `topics` created; all stopped by `defer`. */
export async function brokerWithTopics(
  defer: Defer,
  topics: Readonly<Record<string, number>>,
  options: { readonly http?: boolean } = {},
): Promise<{ broker: StartedBroker; admin: Admin }> {
  const broker = await startBroker({ http: options.http ?? false, config: groupBrokerConfig });
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, topics);
  return { broker, admin };
}

export async function createTopics(admin: Admin, topics: Readonly<Record<string, number>>): Promise<void> {
  const created = await admin.createTopics({
    topics: Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions })),
    waitForLeaders: true,
  });
  assert.equal(created, true, `created ${Object.keys(topics).join(", ")}`);
}

/**
 * Produces `${prefix}-${i}` for i in [from, from + count) with kafkajs, message i to partition
 * i % partitions, so every partition's contents are known. Returns the values.
 */
export async function produceSpread(
  bootstrap: string,
  topic: string,
  partitions: number,
  prefix: string,
  count: number,
  from = 0,
): Promise<string[]> {
  const producer = kafkaFor(bootstrap, "group-producer").producer();
  await producer.connect();
  try {
    const values = Array.from({ length: count }, (_, j) => `${prefix}-${from + j}`);
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value, j) => ({ partition: (from + j) % partitions, key: null, value })),
    });
    return values;
  } finally {
    await producer.disconnect();
  }
}

export interface GroupView {
  readonly state: string;
  readonly protocol: string;
  readonly protocolType: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly clientId: string;
    /** Subscribed topics, from the member's metadata. */
    readonly topics: readonly string[];
    /** `topic:partition`, sorted, from the member's assignment. */
    readonly parts: readonly string[];
  }[];
}

/** kafkajs admin.describeGroups for one group, with member metadata and assignments decoded. */
export async function describeGroup(admin: Admin, group: string): Promise<GroupView> {
  const { groups } = await admin.describeGroups([group]);
  assert.equal(groups.length, 1);
  const g = groups[0];
  assert.ok(g);
  return {
    state: g.state,
    protocol: g.protocol,
    protocolType: g.protocolType,
    members: g.members.map((m) => {
      const assignment =
        m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      const metadata =
        m.memberMetadata.length > 0 ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null;
      const parts: string[] = [];
      for (const [topic, partitions] of Object.entries(assignment?.assignment ?? {}))
        for (const p of partitions) parts.push(tp(topic, p));
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        topics: metadata?.topics ?? [],
        parts: sortParts(parts),
      };
    }),
  };
}

/** Waits until the group is Stable with `count` members, each holding at least one partition. */
export async function waitForStableGroup(
  admin: Admin,
  group: string,
  count: number,
  members: readonly GroupMember[],
  timeoutMs = 30_000,
): Promise<GroupView> {
  let view: GroupView | undefined;
  await waitFor(
    `group ${group} Stable with ${count} members, each assigned`,
    async () => {
      view = await describeGroup(admin, group);
      return (
        view.state === "Stable" &&
        view.members.length === count &&
        view.members.every((m) => m.parts.length > 0)
      );
    },
    timeoutMs,
    () => `last view: ${JSON.stringify(view)}\n${members.map((m) => m.log()).join("\n")}`,
  );
  assert.ok(view);
  return view;
}

/** The values every member received, in one list (duplicates kept). */
export function allValues(members: readonly GroupMember[]): string[] {
  return members.flatMap((m) => m.received.map((r) => r.value ?? ""));
}

/** Asserts `values` holds each of `expected` exactly once (and nothing else). */
export function assertExactlyOnce(
  values: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([v]) => v);
  const missing = expected.filter((v) => !counts.has(v));
  const wanted = new Set(expected);
  const unexpected = [...counts.keys()].filter((v) => !wanted.has(v));
  assert.deepEqual(
    {
      duplicated: duplicated.slice(0, 10),
      missing: missing.slice(0, 10),
      unexpected: unexpected.slice(0, 10),
    },
    { duplicated: [], missing: [], unexpected: [] },
    `${what}: every message exactly once`,
  );
}

/** Closes every member (also when one close fails), reporting the first failure. */
export async function closeAll(members: readonly GroupMember[]): Promise<void> {
  const results = await Promise.allSettled(members.map((m) => m.close()));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

export type Defer = (cleanup: () => unknown) => void;

/**
 * Clean-ups run when the test ends, last registered first (t.after runs hooks in registration
 * order, which would stop the broker before the clients using it). Every one runs; the first
 * failure is reported.
 */
export function cleanups(t: { after(fn: () => unknown): void }): Defer {
  const stack: (() => unknown)[] = [];
  t.after(async () => {
    let failure: unknown;
    for (const cleanup of stack.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  });
  return (cleanup) => {
    stack.push(cleanup);
  };
}

/** Starts a child member that is SIGKILLed (by PID) at the end of the test if still running. */
export function track<M extends PyMember | KcatMember>(defer: Defer, member: M): M {
  defer(() => member.kill());
  return member;
}
