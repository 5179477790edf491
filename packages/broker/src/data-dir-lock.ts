// One broker per data directory. Kafka holds an OS file lock on `<dir>/.lock`; Node has no flock,
// so the lock file holds the owner's PID: a live owner refuses the start, a dead one (a crash)
// leaves a stale file that is taken over. Like an OS lock, it is held per process: the set below
// also refuses a second broker in this same process (tests start several).

import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class DataDirInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataDirInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const heldByThisProcess = new Set<string>();

export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, ".lock");
  if (heldByThisProcess.has(path))
    throw new DataDirInUseError(`data directory ${dir} is in use by another broker in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx" });
      heldByThisProcess.add(path);
      return async () => {
        heldByThisProcess.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
        throw new DataDirInUseError(`data directory ${dir} is in use by another broker (pid ${owner})`);
      await rm(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new DataDirInUseError(`could not lock data directory ${dir}`);
}
