// Every served API, in one list: the registry (and so ApiVersions) is built from it.

import { type Handler, registered } from "../dispatch/handler.ts";
import { adminHandlers } from "./admin-handlers.ts";
import { apiVersionsHandler } from "./api-versions.ts";
import { configHandlers } from "./config-handlers.ts";
import { dataHandlers } from "./data-handlers.ts";
import { groupHandlers } from "./group-handlers.ts";
import { topicHandlers } from "./topic-handlers.ts";
import { txnHandlers } from "./txn-handlers.ts";

export const allHandlers: readonly Handler[] = [
  registered(apiVersionsHandler),
  ...topicHandlers,
  ...dataHandlers,
  ...configHandlers,
  ...adminHandlers,
  ...groupHandlers,
  ...txnHandlers,
];
