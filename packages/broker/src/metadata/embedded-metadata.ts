// The single-broker MetadataImage: topics, partition counts, topic ids and config overrides, kept in
// memory and persisted in the first data directory as an append-only log of JSON lines
// (`__nagare_metadata.log`). Each change is written and fsynced before it is applied and
// acknowledged; start-up replays the log. A torn last line (a crash mid-write, never acknowledged)
// is dropped and truncated away; a bad line anywhere else stops start-up. When the log has grown
// well past the number of topics it is compacted into one snapshot line, written to a temporary
// file and renamed over the log, so a crash leaves either the old log or the new one.
// Changes run one at a time through a queue; reads are synchronous on the in-memory image.

import { type FileHandle, mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDirectory, writeFileAtomic } from "@nagare/storage";
import { type Logger, silentLogger } from "../logger.ts";
import { randomTopicId } from "./ids.ts";
import { ensureMetaProperties } from "./meta-properties.ts";
import { MetadataError } from "./metadata-error.ts";
import type { MetadataImage, TopicMetadata } from "./metadata-image.ts";
import {
  applyRecord,
  formatRecord,
  type MetadataRecord,
  parseRecord,
  type TopicState,
} from "./metadata-records.ts";
import { isInternalTopic, isValidTopicName } from "./topic-name.ts";

export const metadataLogFileName = "__nagare_metadata.log";

export interface EmbeddedMetadataOptions {
  /** The first data directory (log.dirs). */
  readonly dir: string;
  readonly nodeId: number;
  readonly clock: () => number;
  readonly logger?: Logger;
  /** Compact into a snapshot once the log holds this many records (and twice the topic count). */
  readonly compactAfterRecords?: number;
}

const defaultCompactAfterRecords = 1000;
const newline = 0x0a;

interface Replayed {
  readonly topics: Map<string, TopicState>;
  readonly records: number;
  /** Bytes of whole, valid lines; anything after is a torn tail. */
  readonly validBytes: number;
  readonly fileBytes: number;
}

async function readLog(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}

function replay(path: string, data: Buffer): Replayed {
  const topics = new Map<string, TopicState>();
  let position = 0;
  let records = 0;
  // Each pass consumes at least one byte, so the loop ends within data.length passes.
  while (position < data.length) {
    const end = data.indexOf(newline, position);
    if (end === -1) break;
    const record = parseRecord(data.subarray(position, end).toString("utf8"));
    if (!record) {
      if (end + 1 === data.length) break;
      throw new MetadataError(
        "CORRUPT_METADATA_LOG",
        `${path}: line ${records + 1} is not a valid metadata record; restore the file from a backup`,
      );
    }
    const problem = applyRecord(topics, record);
    if (problem)
      throw new MetadataError(
        "CORRUPT_METADATA_LOG",
        `${path}: line ${records + 1} is inconsistent (${problem}); restore the file from a backup`,
      );
    records++;
    position = end + 1;
  }
  return { topics, records, validBytes: position, fileBytes: data.length };
}

function freeze(state: TopicState): TopicMetadata {
  return Object.freeze({
    name: state.name,
    topicId: state.topicId,
    partitions: state.partitions,
    configs: Object.freeze({ ...state.configs }),
    internal: isInternalTopic(state.name),
  });
}

export class EmbeddedMetadata implements MetadataImage {
  readonly nodeId: number;
  private readonly path: string;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly compactAfterRecords: number;
  private readonly state: Map<string, TopicState>;
  private readonly byName = new Map<string, TopicMetadata>();
  private readonly byId = new Map<string, TopicMetadata>();
  private handle: FileHandle;
  private bytes: number;
  private records: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a failed write could not be undone: later writes would follow a partial line. */
  private broken: unknown;
  private closed = false;

  constructor(
    options: EmbeddedMetadataOptions,
    handle: FileHandle,
    replayed: { topics: Map<string, TopicState>; records: number; bytes: number },
  ) {
    this.nodeId = options.nodeId;
    this.path = join(options.dir, metadataLogFileName);
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.compactAfterRecords = options.compactAfterRecords ?? defaultCompactAfterRecords;
    this.handle = handle;
    this.state = replayed.topics;
    this.records = replayed.records;
    this.bytes = replayed.bytes;
    for (const topic of this.state.values()) this.index(topic);
  }

  topic(name: string): TopicMetadata | undefined {
    return this.byName.get(name);
  }

  topicById(topicId: string): TopicMetadata | undefined {
    return this.byId.get(topicId);
  }

  topics(): readonly TopicMetadata[] {
    return [...this.byName.values()];
  }

  createTopic(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, string>>,
  ): Promise<TopicMetadata> {
    return this.change(() => {
      if (this.state.has(name))
        throw new MetadataError("TOPIC_ALREADY_EXISTS", `Topic '${name}' already exists.`);
      if (!isValidTopicName(name)) throw new Error(`createTopic: illegal topic name "${name}"`);
      if (!Number.isInteger(partitions) || partitions < 1)
        throw new MetadataError("INVALID_PARTITIONS", `createTopic: invalid partition count ${partitions}`);
      let topicId = randomTopicId();
      // A repeat is astronomically unlikely; the bound only keeps the loop finite.
      for (let i = 0; i < 8 && this.byId.has(topicId); i++) topicId = randomTopicId();
      return { type: "createTopic", name, topicId, partitions, configs: { ...configs } };
    }, name);
  }

  async deleteTopic(name: string): Promise<void> {
    await this.change(() => ({ type: "deleteTopic", name, topicId: this.existing(name).topicId }), name);
  }

  createPartitions(name: string, totalPartitions: number): Promise<TopicMetadata> {
    return this.change(() => {
      const topic = this.existing(name);
      if (!Number.isInteger(totalPartitions) || totalPartitions <= topic.partitions)
        throw new MetadataError(
          "INVALID_PARTITIONS",
          `Topic ${name} has ${topic.partitions} partition(s); ${totalPartitions} would not be an increase.`,
        );
      return { type: "createPartitions", name, partitions: totalPartitions };
    }, name);
  }

  setTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<TopicMetadata> {
    return this.change(() => {
      this.existing(name);
      return { type: "setConfigs", name, configs: { ...configs } };
    }, name);
  }

  /** Waits for queued changes, then closes the log file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.handle.close();
  }

  private existing(name: string): TopicState {
    const topic = this.state.get(name);
    if (!topic) throw new MetadataError("UNKNOWN_TOPIC", `Topic ${name} does not exist.`);
    return topic;
  }

  private index(topic: TopicState): void {
    const view = freeze(topic);
    this.byName.set(topic.name, view);
    this.byId.set(topic.topicId, view);
  }

  /**
   * Runs one change in the queue: builds its record from the current state (so checks see every
   * earlier change), persists it, then applies it. Resolves to the topic after the change (the
   * deleted topic for deletions).
   */
  private change(build: () => MetadataRecord, name: string): Promise<TopicMetadata> {
    const run = this.queue.then(async () => {
      if (this.closed) throw new MetadataError("METADATA_CLOSED", "the metadata store is closed");
      if (this.broken !== undefined)
        throw new MetadataError("METADATA_CLOSED", `${this.path} failed earlier; restart the broker`, {
          cause: this.broken,
        });
      const record = build();
      const before = this.byName.get(name);
      await this.append(record);
      const problem = applyRecord(this.state, record);
      if (problem) throw new Error(`metadata record does not apply: ${problem}`);
      this.byName.delete(name);
      if (before) this.byId.delete(before.topicId);
      const after = this.state.get(name);
      if (after) this.index(after);
      await this.maybeCompact();
      const result = after ? this.byName.get(name) : before;
      if (!result) throw new Error(`metadata change lost topic ${name}`);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(record: MetadataRecord): Promise<void> {
    const line = Buffer.from(formatRecord(record, this.clock()), "utf8");
    try {
      await this.handle.writeFile(line);
      await this.handle.sync();
    } catch (error) {
      try {
        await this.handle.truncate(this.bytes);
      } catch {
        this.broken = error;
      }
      throw error;
    }
    this.bytes += line.length;
    this.records++;
  }

  private async maybeCompact(): Promise<void> {
    if (this.records < this.compactAfterRecords || this.records < 2 * this.state.size) return;
    const text = formatRecord({ type: "snapshot", topics: [...this.state.values()] }, this.clock());
    try {
      await writeFileAtomic(this.path, text);
    } catch (error) {
      // The log itself is intact; compaction is retried after the next change.
      this.logger.warn({ path: this.path, err: error }, "metadata log compaction failed");
      return;
    }
    const previous = this.handle;
    try {
      this.handle = await open(this.path, "a");
    } catch (error) {
      this.broken = error;
      throw error;
    } finally {
      await previous.close().catch(() => undefined);
    }
    this.bytes = Buffer.byteLength(text);
    this.records = 1;
  }
}

/**
 * Opens (creating when new) the embedded metadata in `dir`: checks or writes meta.properties, then
 * replays the metadata log.
 */
export async function openEmbeddedMetadata(
  options: EmbeddedMetadataOptions,
): Promise<{ metadata: EmbeddedMetadata; clusterId: string }> {
  await mkdir(options.dir, { recursive: true });
  const props = await ensureMetaProperties(options.dir, options.nodeId, new Date(options.clock()));
  const path = join(options.dir, metadataLogFileName);
  await rm(`${path}.tmp`, { force: true });
  const replayed = replay(path, await readLog(path));
  const handle = await open(path, "a");
  try {
    if (replayed.validBytes < replayed.fileBytes) {
      (options.logger ?? silentLogger).warn(
        { path, droppedBytes: replayed.fileBytes - replayed.validBytes },
        "metadata log ended in a torn line (a change interrupted before it was acknowledged); truncated it",
      );
      await handle.truncate(replayed.validBytes);
      await handle.sync();
    }
    if (replayed.fileBytes === 0) await fsyncDirectory(options.dir);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const metadata = new EmbeddedMetadata(options, handle, {
    topics: replayed.topics,
    records: replayed.records,
    bytes: replayed.validBytes,
  });
  return { metadata, clusterId: props.clusterId };
}
