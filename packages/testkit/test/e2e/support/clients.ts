// Runs real Kafka clients as child processes against a test broker: kcat (librdkafka) and Debian's
// python3 with kafka-python / confluent-kafka. Every run is bounded by a timeout and killed by PID.
// A missing client fails the test with the command that installs it (never a silent skip).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const debianPython = "/usr/bin/python3";

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function requireTool(path: string, pkg: string): void {
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: run "sh scripts/install-test-deps.sh" as root (Debian package ${pkg})`,
    );
}

export function run(
  command: string,
  args: readonly string[],
  options: { input?: string | Buffer; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `${command} ${args.join(" ")} timed out after ${options.timeoutMs} ms\n${Buffer.concat(err).toString()}`,
        ),
      );
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    child.stdin.end(options.input ?? "");
  });
}
