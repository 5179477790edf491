// Worker-thread entry of the log cleaner: runs clean jobs one at a time (clean-job.ts) and answers
// each with its result or its error message. Reading, decompressing, filtering and re-encoding all
// happen here, off the broker's event loop.

import { parentPort } from "node:worker_threads";
import { runCleanJob } from "./clean-job.ts";
import type { WorkerReply, WorkerRequest } from "./clean-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("clean-worker.ts runs only as a worker thread");

let queue: Promise<void> = Promise.resolve();

port.on("message", (request: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { id: request.id, ok: true, result: await runCleanJob(request.job) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
});
