// The data-path handlers (Produce, Fetch, ListOffsets), for the registry in handlers/index.ts.

import { type Handler, registered } from "../dispatch/handler.ts";
import { fetchHandler } from "./fetch.ts";
import { listOffsetsHandler } from "./list-offsets.ts";
import { produceHandler } from "./produce.ts";

export const dataHandlers: readonly Handler[] = [
  registered(produceHandler),
  registered(fetchHandler),
  registered(listOffsetsHandler),
];
