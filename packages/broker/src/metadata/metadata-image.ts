// The broker's view of cluster metadata: topics (name, id, partition count, explicit config
// overrides). The embedded implementation persists it in the data dir; a cluster implementation
// will sit behind the same interface (DESIGN.md, MetadataStore).

export interface TopicMetadata {
  readonly name: string;
  /** Canonical lowercase UUID text. */
  readonly topicId: string;
  readonly partitions: number;
  /** Topic-level config overrides (Kafka names); defaults come from the broker's log.* configs. */
  readonly configs: Readonly<Record<string, string>>;
  readonly internal: boolean;
}

export interface MetadataImage {
  readonly nodeId: number;
  topic(name: string): TopicMetadata | undefined;
  topicById(topicId: string): TopicMetadata | undefined;
  topics(): readonly TopicMetadata[];
  /** Persists a new topic; the caller validated name, partitions and configs. */
  createTopic(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, string>>,
  ): Promise<TopicMetadata>;
  deleteTopic(name: string): Promise<void>;
  /** Grows the topic to `totalPartitions`. */
  createPartitions(name: string, totalPartitions: number): Promise<TopicMetadata>;
  /** Replaces the topic's config overrides. */
  setTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<TopicMetadata>;
  close(): Promise<void>;
}
