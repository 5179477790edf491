// The group coordinator of this broker: every group whose __consumer_offsets partition is hosted
// here (on one node: all of them). It owns the groups' state, loads it at start-up, runs offset
// expiry, and answers the group APIs through Membership (join/sync/heartbeat/leave) and Offsets
// (commit/fetch/delete), plus the admin views (DescribeGroups, ListGroups) and the lag figures.

import { ErrorCode } from "@nagare/protocol";
import type { BrokerConfig } from "../../config/broker-config.ts";
import type { Logger } from "../../logger.ts";
import type { StateTopicLog, TopicHost } from "../state-topic.ts";
import type { ClassicGroup, GroupState } from "./classic-group.ts";
import { loadGroups } from "./group-loader.ts";
import { type GroupSettings, groupSettingsFrom } from "./group-settings.ts";
import { GroupStore } from "./group-store.ts";
import { Membership } from "./membership.ts";
import { Offsets } from "./offsets.ts";
import { offsetsTopic } from "./offsets-topic.ts";
import { type Scheduler, TimerScheduler } from "./scheduler.ts";

export interface GroupCoordinatorOptions {
  readonly topic: StateTopicLog;
  readonly settings: GroupSettings;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly scheduler?: Scheduler;
}

export interface GroupSummary {
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  /** The selected protocol while Stable, else empty (as DescribeGroups reports it). */
  readonly protocolData: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly groupInstanceId: string | null;
    readonly clientId: string;
    readonly clientHost: string;
    readonly metadata: Buffer;
    readonly assignment: Buffer;
  }[];
}

const empty = Buffer.alloc(0);

export class GroupCoordinator {
  readonly membership: Membership;
  readonly offsets: Offsets;
  readonly topic: StateTopicLog;
  private readonly store: GroupStore;
  private readonly settings: GroupSettings;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiring: Promise<void> | undefined;

  constructor(options: GroupCoordinatorOptions) {
    this.topic = options.topic;
    this.settings = options.settings;
    this.store = new GroupStore(options.topic, options.clock, options.logger);
    this.membership = new Membership(this.store, options.settings, options.scheduler ?? new TimerScheduler());
    this.offsets = new Offsets(this.store, options.settings, this.membership);
  }

  /** The coordinator over `host`'s __consumer_offsets, loaded and running. */
  static async open(host: TopicHost, config: BrokerConfig): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator({
      topic: offsetsTopic(host),
      settings: groupSettingsFrom(config),
      clock: host.clock,
      logger: host.logger,
    });
    await coordinator.start(host.logger);
    return coordinator;
  }

  /** Replays __consumer_offsets, then starts offset expiry. */
  async start(logger: Logger): Promise<void> {
    const report = await loadGroups(this.store, this.topic.readAll());
    for (const group of this.store.groups.values()) this.membership.scheduleLoadedMembers(group);
    if (report.records > 0) logger.info({ ...report }, "consumer groups loaded from __consumer_offsets");
    this.expiryTimer = setInterval(() => {
      this.expiring ??= this.offsets.expire().finally(() => {
        this.expiring = undefined;
      });
    }, this.settings.offsetsRetentionCheckIntervalMs);
    this.expiryTimer.unref();
  }

  /** Answers parked requests (NOT_COORDINATOR) and stops timers; pending writes finish first. */
  async stop(): Promise<void> {
    clearInterval(this.expiryTimer);
    this.membership.shutdown();
    await this.expiring;
  }

  group(groupId: string): ClassicGroup | undefined {
    return this.store.get(groupId);
  }

  get groups(): Iterable<ClassicGroup> {
    return this.store.groups.values();
  }

  describe(groupId: string): GroupSummary | undefined {
    const group = this.store.get(groupId);
    if (!group) return undefined;
    const stable = group.is("Stable");
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? "",
      protocolData: stable ? (group.protocolName ?? "") : "",
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(group.protocolName) : empty,
        assignment: stable ? m.assignment : empty,
      })),
    };
  }

  /** Groups matching the state and type filters (empty filter: all; states case-insensitive). */
  list(
    states: readonly string[],
    types: readonly string[],
  ): { groupId: string; protocolType: string; state: GroupState }[] {
    const wantedStates = new Set(states.map((s) => s.toLowerCase()));
    const wantedTypes = new Set(types.map((t) => t.toLowerCase()));
    const out: { groupId: string; protocolType: string; state: GroupState }[] = [];
    for (const group of this.store.groups.values()) {
      if (group.is("Dead")) continue;
      if (wantedStates.size > 0 && !wantedStates.has(group.state.toLowerCase())) continue;
      if (wantedTypes.size > 0 && !wantedTypes.has("classic")) continue;
      out.push({ groupId: group.groupId, protocolType: group.protocolType ?? "", state: group.state });
    }
    return out;
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const results: { groupId: string; errorCode: number }[] = [];
    for (const groupId of groupIds) {
      const errorCode = groupId === "" ? ErrorCode.INVALID_GROUP_ID : await this.offsets.deleteGroup(groupId);
      results.push({ groupId, errorCode });
    }
    return results;
  }
}
