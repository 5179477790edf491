// The admin and data-management APIs, for the handler list in index.ts: DeleteRecords,
// OffsetForLeaderEpoch, DescribeLogDirs, DescribeCluster, DescribeTopicPartitions.

import { type Handler, registered } from "../dispatch/handler.ts";
import { deleteRecordsHandler } from "./delete-records.ts";
import { describeClusterHandler } from "./describe-cluster.ts";
import { describeLogDirsHandler } from "./describe-log-dirs.ts";
import { describeTopicPartitionsHandler } from "./describe-topic-partitions.ts";
import { offsetForLeaderEpochHandler } from "./offset-for-leader-epoch.ts";

export const adminHandlers: readonly Handler[] = [
  registered(deleteRecordsHandler),
  registered(offsetForLeaderEpochHandler),
  registered(describeLogDirsHandler),
  registered(describeClusterHandler),
  registered(describeTopicPartitionsHandler),
];
