// Crash-safe small-file steps for the embedded metadata: data is fsynced before a rename makes it
// visible, and the directory is fsynced after the rename so the new name survives a power loss.

import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` atomically via `<path>.tmp`: a restart sees the old contents or the new, never a mix. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}
