// The log manager owns every partition log of a broker across its data directories (log.dirs):
// start-up (marker, checkpoints, discovery, recovery — see log-dir-loader.ts), placement of new
// partitions, deletion, periodic checkpoints, the background jobs (flush, retention, compaction)
// and a clean shutdown. Topic configs belong to the broker: it passes `configFor(topic)` and calls
// `updateConfig` when they change.
//
// Faults stay per partition: a partition that fails to open, or whose log hits an I/O error, is
// offline (KAFKA_STORAGE_ERROR) while the rest keep working; a data directory with an offline
// partition gets no clean-shutdown marker, so the next start recovers it.

import { randomUUID } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { BackgroundTask } from "./background-task.ts";
import { writeCleanShutdownMarker } from "./clean-shutdown-marker.ts";
import { fsyncDirectory } from "./durable-fs.ts";
import { writeCheckpoints } from "./log-checkpoints.ts";
import type { LogConfig } from "./log-config.ts";
import {
  type CheckpointedOffsets,
  type LoadedDataDir,
  loadDataDir,
  type PartitionRecoveryReport,
} from "./log-dir-loader.ts";
import {
  applyRetentionToLogs,
  CleanerRunner,
  expireProducers,
  flushDueLogs,
  type MaintainedLog,
} from "./log-maintenance.ts";
import { type LogManagerIntervals, type LogManagerOptions, validateOptions } from "./log-manager-options.ts";
import { deleteDirName, isValidPartition, isValidTopicName, partitionDirName } from "./partition-dir-name.ts";
import { PartitionLog } from "./partition-log.ts";
import { SerialQueue } from "./serial-queue.ts";
import { StorageError } from "./storage-error.ts";
import { describeError, type StorageLogger, stderrLogger } from "./storage-logger.ts";

export interface OfflinePartition {
  readonly topic: string;
  readonly partition: number;
  readonly dataDir: string;
  readonly error: string;
}

export interface OfflineDir {
  readonly dataDir: string;
  readonly error: string;
}

interface ManagedLog extends MaintainedLog {
  readonly dataDir: string;
}

interface FailedPartition extends OfflinePartition {
  readonly checkpointed: CheckpointedOffsets;
}

export class LogManager {
  readonly logDirs: readonly string[];
  /** What recovery did to each partition that was recovered at start-up (empty after a clean stop). */
  readonly recoveryReports: readonly PartitionRecoveryReport[];
  /** Data directories that could not be loaded at all. */
  readonly offlineDirs: readonly OfflineDir[];
  private readonly configFor: (topic: string) => LogConfig;
  private readonly clock: () => number;
  private readonly logger: StorageLogger;
  private readonly producerIdExpirationMs: number | undefined;
  private readonly logs = new Map<string, ManagedLog>();
  private readonly failed = new Map<string, FailedPartition>();
  private readonly onlineDirs: string[];
  /** Directories whose logs were not all loaded: no clean-shutdown marker for them. */
  private readonly incompleteDirs = new Set<string>();
  private readonly tasks: BackgroundTask[] = [];
  private readonly cleanerRunner: CleanerRunner | undefined;
  /** Checkpoint writes, one at a time (they share `<name>.tmp`). */
  private readonly checkpoints = new SerialQueue();
  /** createLog calls in progress, so two calls for one partition open it once. */
  private readonly creating = new Map<string, Promise<PartitionLog>>();
  private closing: Promise<void> | undefined;

  private constructor(options: LogManagerOptions, loaded: LoadedDataDir[], offlineDirs: OfflineDir[]) {
    this.logDirs = [...options.logDirs];
    this.configFor = options.configFor ?? (() => options.defaultConfig);
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? stderrLogger(this.clock);
    this.producerIdExpirationMs = options.producerIdExpirationMs;
    this.offlineDirs = offlineDirs.map(({ dataDir, error }) => ({ dataDir, error }));
    this.onlineDirs = loaded.map((d) => d.dataDir);
    this.recoveryReports = loaded.flatMap((d) => d.reports);
    for (const dir of loaded) {
      for (const { topic, partition, log, firstDirtyOffset } of dir.logs)
        this.logs.set(partitionDirName(topic, partition), {
          topic,
          partition,
          log,
          firstDirtyOffset,
          dataDir: dir.dataDir,
        });
      for (const failure of dir.failed) {
        this.failed.set(partitionDirName(failure.topic, failure.partition), {
          ...failure,
          dataDir: dir.dataDir,
        });
        this.incompleteDirs.add(dir.dataDir);
      }
    }
    const cleaner = options.cleaner ?? {};
    if (cleaner.enable !== false)
      this.cleanerRunner = new CleanerRunner({
        maxBufferBytes: cleaner.dedupeBufferBytes ?? 128 * 1024 * 1024,
        logger: this.logger,
        ...(options.producerIdExpirationMs !== undefined
          ? { producerIdExpirationMs: options.producerIdExpirationMs }
          : {}),
      });
  }

  /** Loads every data directory (recovering after an unclean stop) and starts the background jobs. */
  static async open(options: LogManagerOptions): Promise<LogManager> {
    const { intervals, logDirs } = validateOptions(options);
    const clock = options.clock ?? Date.now;
    const logger = options.logger ?? stderrLogger(clock);
    const configFor = options.configFor ?? (() => options.defaultConfig);
    const results = await Promise.all(
      logDirs.map((dataDir) =>
        loadDataDir({
          dataDir,
          configFor,
          clock,
          logger,
          concurrency: options.recoveryThreadsPerDataDir ?? 1,
          ...(options.producerIdExpirationMs !== undefined
            ? { producerIdExpirationMs: options.producerIdExpirationMs }
            : {}),
        }).catch((error: unknown) => {
          logger.error("cannot load data directory: it stays offline", {
            dataDir,
            error: describeError(error),
          });
          return { dataDir, error: describeError(error) };
        }),
      ),
    );
    const loaded = results.filter((r): r is LoadedDataDir => "logs" in r);
    const offline = results.filter((r): r is OfflineDir => !("logs" in r));
    if (loaded.length === 0)
      throw new StorageError(
        "KAFKA_STORAGE_ERROR",
        `no usable data directory in log.dirs: ${offline.map((d) => `${d.dataDir} (${d.error})`).join("; ")}`,
      );
    const manager = new LogManager({ ...options, logDirs, clock, logger }, loaded, offline);
    manager.startTasks(intervals);
    return manager;
  }

  private startTasks(intervals: LogManagerIntervals): void {
    const onError = (task: string, error: unknown) =>
      this.logger.error("background task failed", { task, error: describeError(error) });
    const add = (name: string, intervalMs: number, run: () => Promise<boolean>) =>
      this.tasks.push(new BackgroundTask({ name, intervalMs, run, onError }));
    add("flush", intervals.flushCheckMs, async () => {
      await flushDueLogs(this.snapshot(), this.logger);
      return false;
    });
    add("checkpoint", intervals.checkpointMs, async () => {
      await this.checkpoint().catch(() => undefined); // each failing directory is logged already
      return false;
    });
    add("retention", intervals.retentionCheckMs, async () => {
      await applyRetentionToLogs(this.snapshot(), this.clock(), this.logger);
      return false;
    });
    add("producer-expiration", intervals.producerIdExpirationCheckMs, async () => {
      await expireProducers(this.snapshot(), this.clock(), this.logger);
      return false;
    });
    const cleaner = this.cleanerRunner;
    if (cleaner)
      add("cleaner", intervals.cleanerBackoffMs, () => cleaner.cleanOne(this.snapshot(), this.clock()));
    for (const task of this.tasks) task.start();
  }

  private snapshot(): ManagedLog[] {
    return [...this.logs.values()];
  }

  /**
   * The log of a partition, or undefined when this broker has none. Throws KAFKA_STORAGE_ERROR
   * when the partition exists on disk but could not be opened (it is offline until restart).
   */
  getLog(topic: string, partition: number): PartitionLog | undefined {
    const key = partitionDirName(topic, partition);
    const failure = this.failed.get(key);
    if (failure)
      throw new StorageError("KAFKA_STORAGE_ERROR", `partition ${key} is offline: ${failure.error}`);
    return this.logs.get(key)?.log;
  }

  allLogs(): { topic: string; partition: number; log: PartitionLog }[] {
    return this.snapshot().map(({ topic, partition, log }) => ({ topic, partition, log }));
  }

  /** Partitions that failed to open or went offline after an I/O error. */
  offlinePartitions(): OfflinePartition[] {
    const offline: OfflinePartition[] = [...this.failed.values()].map(({ checkpointed: _, ...rest }) => rest);
    for (const { topic, partition, dataDir, log } of this.logs.values())
      if (log.offlineError) offline.push({ topic, partition, dataDir, error: log.offlineError.message });
    return offline;
  }

  /** Returns the partition's log, creating it in the data directory holding the fewest partitions. */
  async createLog(
    topic: string,
    partition: number,
    config: LogConfig = this.configFor(topic),
  ): Promise<PartitionLog> {
    this.ensureRunning();
    if (!isValidTopicName(topic))
      throw new StorageError("INVALID_TOPIC_EXCEPTION", `invalid topic name "${topic}"`);
    if (!isValidPartition(partition))
      throw new StorageError("INVALID_TOPIC_EXCEPTION", `invalid partition ${partition} of ${topic}`);
    const existing = this.getLog(topic, partition);
    if (existing) return existing;
    const key = partitionDirName(topic, partition);
    const pending = this.creating.get(key);
    if (pending) return pending;
    const creation = this.openNewLog(topic, partition, config).finally(() => this.creating.delete(key));
    this.creating.set(key, creation);
    return creation;
  }

  private async openNewLog(topic: string, partition: number, config: LogConfig): Promise<PartitionLog> {
    const dataDir = this.leastLoadedDir();
    const key = partitionDirName(topic, partition);
    try {
      const { log } = await PartitionLog.open({
        dir: join(dataDir, key),
        config,
        clock: this.clock,
        ...(this.producerIdExpirationMs !== undefined
          ? { producerIdExpirationMs: this.producerIdExpirationMs }
          : {}),
      });
      // The new partition directory's name must survive a power loss like the data in it.
      await fsyncDirectory(dataDir).catch(async (error: unknown) => {
        await log.close().catch(() => undefined);
        throw error;
      });
      this.logs.set(key, { topic, partition, log, dataDir, firstDirtyOffset: log.logStartOffset });
      return log;
    } catch (error) {
      throw storageError(`cannot create ${key} in ${dataDir}`, error);
    }
  }

  private leastLoadedDir(): string {
    const counts = new Map(this.onlineDirs.map((dir) => [dir, 0]));
    for (const entry of [...this.logs.values(), ...this.failed.values()])
      counts.set(entry.dataDir, (counts.get(entry.dataDir) ?? 0) + 1);
    let best: string | undefined;
    for (const [dir, count] of counts) if (best === undefined || count < (counts.get(best) ?? 0)) best = dir;
    return best as string;
  }

  /**
   * Removes the partition: closes its log, renames its directory to `<topic>-<partition>.<id>-delete`
   * (so a crash never brings it back), removes it, and rewrites the dir's checkpoints without it.
   */
  async deleteLog(topic: string, partition: number): Promise<boolean> {
    this.ensureRunning();
    const key = partitionDirName(topic, partition);
    const entry = this.logs.get(key) ?? this.failed.get(key);
    if (!entry) return false;
    this.logs.delete(key);
    this.failed.delete(key);
    if ("log" in entry) await entry.log.close().catch(() => undefined);
    const doomed = join(entry.dataDir, deleteDirName(topic, partition, randomUUID().replaceAll("-", "")));
    try {
      await rename(join(entry.dataDir, key), doomed);
      await fsyncDirectory(entry.dataDir);
      await rm(doomed, { recursive: true, force: true });
      await this.checkpoints.run(() => this.checkpointDir(entry.dataDir));
    } catch (error) {
      throw storageError(`cannot delete ${key} in ${entry.dataDir}`, error);
    }
    return true;
  }

  /** Applies a topic's new config to its open logs at once (and to logs created later via configFor). */
  updateConfig(topic: string, config: LogConfig): void {
    for (const entry of this.logs.values()) if (entry.topic === topic) entry.log.updateConfig(config);
  }

  /** Writes the three checkpoint files of every data directory (atomically, one dir at a time). */
  checkpoint(): Promise<void> {
    return this.checkpoints.run(async () => {
      const failures: string[] = [];
      for (const dataDir of this.onlineDirs) {
        try {
          await this.checkpointDir(dataDir);
        } catch (error) {
          failures.push(`${dataDir}: ${describeError(error)}`);
          this.logger.error("cannot write checkpoints", { dataDir, error: describeError(error) });
        }
      }
      if (failures.length > 0)
        throw new StorageError("KAFKA_STORAGE_ERROR", `checkpoint failed in ${failures.join("; ")}`);
    });
  }

  private checkpointDir(dataDir: string): Promise<void> {
    return writeCheckpoints(
      dataDir,
      [...this.logs.values()].filter((e) => e.dataDir === dataDir),
      [...this.failed.values()].filter((f) => f.dataDir === dataDir),
    );
  }

  /**
   * Stops the background jobs, closes (flushes and fsyncs) every log, writes the checkpoints, and
   * last writes the clean-shutdown marker in each directory whose logs all closed cleanly.
   */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    const stopping = Promise.all(this.tasks.map((task) => task.stop()));
    await Promise.all([
      stopping,
      this.cleanerRunner?.close().catch((error: unknown) => {
        this.logger.error("cannot stop the log cleaner", { error: describeError(error) });
      }),
    ]);
    await Promise.allSettled(this.creating.values()); // a log being created is closed below too
    const unclean = new Set(this.incompleteDirs);
    await Promise.all(
      this.snapshot().map(async ({ topic, partition, dataDir, log }) => {
        const wasOffline = log.offline;
        try {
          await log.close();
        } catch (error) {
          this.logger.error("cannot close log", { topic, partition, error: describeError(error) });
          unclean.add(dataDir);
        }
        if (wasOffline || log.offline) unclean.add(dataDir);
      }),
    );
    await this.checkpoints.run(async () => {
      for (const dataDir of this.onlineDirs) {
        try {
          await this.checkpointDir(dataDir);
          if (!unclean.has(dataDir)) await writeCleanShutdownMarker(dataDir);
          else
            this.logger.warn("no clean-shutdown marker: the next start recovers this directory", { dataDir });
        } catch (error) {
          this.logger.error("cannot complete a clean shutdown", { dataDir, error: describeError(error) });
        }
      }
    });
    this.logs.clear();
    this.failed.clear();
  }

  private ensureRunning(): void {
    if (this.closing) throw new StorageError("LOG_CLOSED", "the log manager is closed");
  }
}

function storageError(what: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError("KAFKA_STORAGE_ERROR", `${what}: ${describeError(error)}`, { cause: error });
}
