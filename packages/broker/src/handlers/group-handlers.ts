// The consumer-group APIs, for the handler list in index.ts: FindCoordinator, JoinGroup,
// SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, OffsetDelete, DescribeGroups,
// ListGroups, DeleteGroups.

import { type Handler, registered } from "../dispatch/handler.ts";
import { deleteGroupsHandler } from "./delete-groups.ts";
import { describeGroupsHandler } from "./describe-groups.ts";
import { findCoordinatorHandler } from "./find-coordinator.ts";
import { heartbeatHandler } from "./heartbeat.ts";
import { joinGroupHandler } from "./join-group.ts";
import { leaveGroupHandler } from "./leave-group.ts";
import { listGroupsHandler } from "./list-groups.ts";
import { offsetCommitHandler } from "./offset-commit.ts";
import { offsetDeleteHandler } from "./offset-delete.ts";
import { offsetFetchHandler } from "./offset-fetch.ts";
import { syncGroupHandler } from "./sync-group.ts";

export const groupHandlers: readonly Handler[] = [
  registered(findCoordinatorHandler),
  registered(joinGroupHandler),
  registered(syncGroupHandler),
  registered(heartbeatHandler),
  registered(leaveGroupHandler),
  registered(offsetCommitHandler),
  registered(offsetFetchHandler),
  registered(offsetDeleteHandler),
  registered(describeGroupsHandler),
  registered(listGroupsHandler),
  registered(deleteGroupsHandler),
];
