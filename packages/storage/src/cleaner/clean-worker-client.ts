// The main thread's side of the cleaner's worker thread: starts it on first use, matches replies to
// requests by id, keeps the process alive only while a job is pending (an idle cleaner never holds
// the process open), and fails pending jobs when the worker dies or is closed. A dead worker is
// replaced on the next job.

import { Worker } from "node:worker_threads";
import type { CleanJob, CleanJobResult, WorkerReply, WorkerRequest } from "./clean-protocol.ts";

interface Pending {
  readonly resolve: (result: CleanJobResult) => void;
  readonly reject: (error: Error) => void;
}

export class CleanerClosedError extends Error {
  constructor() {
    super("the log cleaner was closed");
    this.name = "CleanerClosedError";
  }
}

export class CleanWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  run(job: CleanJob): Promise<CleanJobResult> {
    if (this.closed) return Promise.reject(new CleanerClosedError());
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    worker.ref();
    return new Promise<CleanJobResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, job };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new CleanerClosedError());
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL("./clean-worker.ts", import.meta.url));
    this.worker = worker;
    worker.on("message", (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.error));
    });
    const onDeath = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on("error", onDeath);
    worker.on("exit", (code) => onDeath(new Error(`the cleaner worker exited with code ${code}`)));
    return worker;
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}
