// The configuration APIs, for the handler list in index.ts: DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs.

import { type Handler, registered } from "../dispatch/handler.ts";
import { alterConfigsHandler } from "./alter-configs.ts";
import { describeConfigsHandler } from "./describe-configs.ts";
import { incrementalAlterConfigsHandler } from "./incremental-alter-configs.ts";

export const configHandlers: readonly Handler[] = [
  registered(describeConfigsHandler),
  registered(alterConfigsHandler),
  registered(incrementalAlterConfigsHandler),
];
