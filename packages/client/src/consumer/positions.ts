// Initial positions (Kafka's updateFetchPositions): a partition without a position starts at the
// group's committed offset, else where autoOffsetReset says; pending resets (seekToBeginning/End,
// an out-of-range fetch) are resolved with ListOffsets. Runs inside poll, before fetching.

import type { Cluster } from "../cluster/cluster.ts";
import { NoOffsetForPartitionError } from "./consumer-errors.ts";
import { fetchCommitted, listOffsets } from "./offsets.ts";
import type { AutoOffsetReset, IsolationLevel } from "./options.ts";
import { keyOf, type SubscriptionState } from "./subscription-state.ts";

export async function updatePositions(
  cluster: Cluster,
  state: SubscriptionState,
  groupId: string | undefined,
  autoOffsetReset: AutoOffsetReset,
  isolation: IsolationLevel,
): Promise<void> {
  const unpositioned = state.states().filter((s) => s.position === null && s.pendingReset === null);
  if (unpositioned.length > 0) {
    const committed =
      groupId === undefined ? new Map() : await fetchCommitted(cluster, groupId, unpositioned);
    const missing = [];
    for (const s of unpositioned) {
      if (state.get(s) !== s || s.position !== null || s.pendingReset !== null) continue; // changed meanwhile
      const found = committed.get(keyOf(s));
      if (found) {
        s.position = found.offset;
        s.positionEpoch = found.leaderEpoch;
      } else if (autoOffsetReset === "none") missing.push({ topic: s.topic, partition: s.partition });
      else s.pendingReset = autoOffsetReset;
    }
    if (missing.length > 0) throw new NoOffsetForPartitionError(missing);
  }

  const resetting = state.states().filter((s) => s.pendingReset !== null);
  if (resetting.length === 0) return;
  const strategies = new Map(resetting.map((s) => [keyOf(s), s.pendingReset]));
  const listed = await listOffsets(
    cluster,
    resetting,
    (tp) => strategies.get(keyOf(tp)) ?? "latest",
    isolation,
  );
  for (const s of resetting) {
    const answer = listed.get(keyOf(s));
    // Skip partitions revoked or re-seeked while ListOffsets was out.
    if (!answer || state.get(s) !== s || s.pendingReset !== strategies.get(keyOf(s))) continue;
    s.position = answer.offset;
    s.positionEpoch = answer.leaderEpoch;
    s.pendingReset = null;
  }
}
