// The topic APIs, for the handler list in index.ts: Metadata, CreateTopics, DeleteTopics,
// CreatePartitions.

import { type Handler, registered } from "../dispatch/handler.ts";
import { createPartitionsHandler } from "./create-partitions.ts";
import { createTopicsHandler } from "./create-topics.ts";
import { deleteTopicsHandler } from "./delete-topics.ts";
import { metadataHandler } from "./metadata.ts";

export const topicHandlers: readonly Handler[] = [
  registered(metadataHandler),
  registered(createTopicsHandler),
  registered(deleteTopicsHandler),
  registered(createPartitionsHandler),
];
