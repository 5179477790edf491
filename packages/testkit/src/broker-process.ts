// A real `nagare broker` in a child process on 127.0.0.1, for tests that need process-level
// behaviour (SIGTERM/SIGKILL, recovery) and benchmarks that should not share the caller's event loop.

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const cliMain = fileURLToPath(new URL("../../cli/src/main.ts", import.meta.url));
const keptOutputChars = 256 * 1024;

export interface BrokerProcessOptions {
  readonly dataDir: string;
  /** Defaults to a free port. */
  readonly port?: number;
  /** Broker configs by Kafka name, as `--override` flags (the HTTP listener is off unless set). */
  readonly config?: Readonly<Record<string, string>>;
  /** Flags for node itself, e.g. ["--cpu-prof", "--cpu-prof-dir", dir]. */
  readonly nodeArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BrokerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly bootstrap: string;
  readonly exited: Promise<ProcessExit>;
  /** What the broker logged (the last 256 KiB). */
  output(): string;
  /** Sends `signal` and waits for the exit; SIGKILLs and rejects if it is still running after the timeout. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ProcessExit>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

/** Starts `nagare broker` and resolves once it logged its start (rejects with its output otherwise). */
export async function startBrokerProcess(options: BrokerProcessOptions): Promise<BrokerProcess> {
  const port = options.port ?? (await freePort());
  const config = {
    listeners: `PLAINTEXT://127.0.0.1:${port}`,
    "log.dirs": options.dataDir,
    "nagare.http.listener": "none",
    ...options.config,
  };
  const args = [...(options.nodeArgs ?? []), cliMain, "broker"];
  for (const [key, value] of Object.entries(config)) args.push("--override", `${key}=${value}`);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`broker did not start in ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const check = () => {
      if (output.includes("nagare broker started")) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        child.stderr?.off("data", check);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${code ?? signal}) before starting:\n${output}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 20_000): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`broker still running ${timeoutMs} ms after ${signal}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    child,
    pid: child.pid ?? 0,
    port,
    bootstrap: `127.0.0.1:${port}`,
    exited,
    output: () => output,
    stop,
  };
}
