// Small file-system steps whose ordering makes metadata files crash-safe: a file's data is fsynced
// before it is renamed into place, and the directory is fsynced after a rename or unlink so the
// new name (or its absence) survives a power loss, not only the file's contents.

import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/** fsyncs a directory, making renames, creations and unlinks inside it durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `path` and fsyncs it (not atomic: a crash may leave a partial file). */
export async function writeFileSynced(path: string, data: string | Buffer): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` atomically: writes `<path>.tmp`, fsyncs it, renames it over `path`, fsyncs the
 * directory. A reader (or a restart after a crash) sees the old contents or the new, never a mix.
 */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFileSynced(temp, data);
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}

/** Removes `path` (no error when missing) and makes the removal durable. */
export async function unlinkDurably(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  await fsyncDirectory(dirname(path));
}
