// The built-in assignors by protocol name (the names librdkafka and the Java client use), and the
// rebalance protocol a list of them implies.

import type { PartitionAssignor, RebalanceProtocol } from "./assignor.ts";
import { cooperativeStickyAssignor } from "./cooperative-sticky.ts";
import { rangeAssignor } from "./range.ts";
import { roundRobinAssignor } from "./roundrobin.ts";

export type { GroupMember, PartitionAssignor, RebalanceProtocol } from "./assignor.ts";
export { cooperativeStickyAssignor, rangeAssignor, roundRobinAssignor };

export type AssignorName = "range" | "roundrobin" | "cooperative-sticky";

const builtIn: Readonly<Record<AssignorName, PartitionAssignor>> = {
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  "cooperative-sticky": cooperativeStickyAssignor,
};

export function resolveAssignors(
  strategy: readonly (AssignorName | PartitionAssignor)[],
): PartitionAssignor[] {
  if (strategy.length === 0)
    throw new TypeError("partitionAssignmentStrategy must name at least one assignor");
  return strategy.map((entry) => {
    if (typeof entry !== "string") return entry;
    const assignor = builtIn[entry];
    if (!assignor) throw new TypeError(`unknown partition assignor "${String(entry)}"`);
    return assignor;
  });
}

/**
 * The protocol every configured assignor supports, cooperative preferred (Kafka's
 * ConsumerCoordinator): Kafka's default ["range", "cooperative-sticky"] is therefore eager, and
 * a group moves to cooperative once its members list only cooperative assignors (KIP-429's
 * rolling upgrade).
 */
export function rebalanceProtocolOf(assignors: readonly PartitionAssignor[]): RebalanceProtocol {
  return assignors.every((a) => a.supportedProtocols.includes("cooperative")) ? "cooperative" : "eager";
}
