// A test client in a child process that reports in stdout lines (one event per line); its stderr
// is kept (the last 64 KiB) for failure reports. Shared by the group members and the transaction
// processors.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";

export class LineChild {
  readonly child: ChildProcess;
  /** The exit code, once the process exited and its output was read to the end ("close"). */
  readonly exited: Promise<number | null>;
  private partial = "";
  private stderrTail = "";

  constructor(
    command: string,
    args: readonly string[],
    onLine: (line: string) => void,
    onStderr: (text: string) => void = () => {},
  ) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => this.child.once("close", (code) => resolve(code)));
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      this.stderrTail = (this.stderrTail + text).slice(-64 * 1024);
      onStderr(text);
    });
    // Writing to a child that already exited fails with EPIPE: nothing to do then.
    this.child.stdin?.on("error", () => {});
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Asks for a graceful stop with `request` (unless the child already exited) and expects exit
   * code 0 within `timeoutMs`; otherwise kills it and fails with `log()`.
   */
  async close(name: string, request: () => void, timeoutMs: number, log: () => string): Promise<void> {
    if (this.running()) request();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      await this.kill();
      assert.fail(`${name} did not stop within ${timeoutMs} ms\n${log()}`);
    }
    assert.equal(outcome, 0, `${name} exit code\n${log()}`);
  }

  /** SIGKILL: a crash in the middle of whatever it was doing. */
  async kill(): Promise<void> {
    if (this.running()) this.child.kill("SIGKILL");
    await this.exited;
  }
}
