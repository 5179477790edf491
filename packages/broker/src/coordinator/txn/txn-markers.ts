// Writes a transaction's end markers (control batches: COMMIT or ABORT) to every partition it
// touched. A partition whose topic was deleted meanwhile is skipped, as Kafka does; any other
// failure is retried with a growing delay until it succeeds or the broker stops, because a
// transaction must end up complete on every partition, never on some. Markers on
// __consumer_offsets also settle the transaction's pending offsets in the group coordinator.

import { ControlRecordType, encodeEndTxnMarkerBatch } from "@nagare/protocol/records";
import type { Logger } from "../../logger.ts";
import type { ReplicaManager } from "../../replica/replica-manager.ts";

export interface MarkerTarget {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly partitions: ReadonlyMap<string, ReadonlySet<number>>;
}

/** What the coordinator needs: every partition marked (false when stopped first), and a stop. */
export interface TxnMarkerWriter {
  write(target: MarkerTarget): Promise<boolean>;
  stop(): void;
}

export interface MarkerWriterOptions {
  readonly replicas: ReplicaManager;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Called after a marker landed on a partition of `topic` (the group coordinator's hook). */
  readonly onMarker?: (topic: string, partition: number, producerId: bigint, commit: boolean) => void;
}

const firstRetryMs = 100;
const maxRetryMs = 5000;

export class MarkerWriter implements TxnMarkerWriter {
  private readonly options: MarkerWriterOptions;
  private stopped = false;

  constructor(options: MarkerWriterOptions) {
    this.options = options;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves once every partition has its marker (false if the broker stopped first). */
  async write(target: MarkerTarget): Promise<boolean> {
    const writes: Promise<boolean>[] = [];
    for (const [topic, partitions] of target.partitions)
      for (const partition of partitions) writes.push(this.writeOne(target, topic, partition));
    const results = await Promise.all(writes);
    return results.every(Boolean);
  }

  private async writeOne(target: MarkerTarget, topic: string, index: number): Promise<boolean> {
    const { replicas, clock, logger } = this.options;
    for (let delayMs = firstRetryMs; !this.stopped; delayMs = Math.min(delayMs * 2, maxRetryMs)) {
      const partition = replicas.partition(topic, index);
      if (!partition) return true; // deleted with its topic: nothing left to mark
      try {
        const batch = encodeEndTxnMarkerBatch({
          type: target.commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
          producerId: target.producerId,
          producerEpoch: target.producerEpoch,
          coordinatorEpoch: 0,
          timestamp: BigInt(clock()),
        });
        await partition.append(batch, { origin: "coordinator" });
        this.options.onMarker?.(topic, index, target.producerId, target.commit);
        return true;
      } catch (error) {
        logger.warn(
          {
            topic,
            partition: index,
            producerId: String(target.producerId),
            error: String(error),
            retryInMs: delayMs,
          },
          "writing a transaction marker failed",
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
    return false;
  }
}
