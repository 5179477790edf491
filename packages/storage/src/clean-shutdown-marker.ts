// The clean-shutdown marker: `.kafka_cleanshutdown` in a data directory means every log in it was
// flushed, fsynced and closed, and the checkpoints were written after that — so the next start may
// trust segment lengths and skip recovery. It is written last at shutdown and removed (durably)
// before the logs are loaded, so a crash at any later moment — even during loading — leaves no
// marker and the next start recovers (Kafka removes it at the same point, KAFKA-10471).
// Content as Kafka writes it: {"version":0,"brokerEpoch":<epoch or -1>}; only its presence matters.

import { access } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDirectory, unlinkDurably, writeFileSynced } from "./durable-fs.ts";

export const cleanShutdownFileName = ".kafka_cleanshutdown";

export function cleanShutdownPath(dataDir: string): string {
  return join(dataDir, cleanShutdownFileName);
}

export async function hasCleanShutdownMarker(dataDir: string): Promise<boolean> {
  try {
    await access(cleanShutdownPath(dataDir));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Writes and fsyncs the marker, then fsyncs the directory so its name is durable too. */
export async function writeCleanShutdownMarker(dataDir: string, brokerEpoch = -1n): Promise<void> {
  await writeFileSynced(cleanShutdownPath(dataDir), `{"version":0,"brokerEpoch":${brokerEpoch.toString()}}`);
  await fsyncDirectory(dataDir);
}

export function removeCleanShutdownMarker(dataDir: string): Promise<void> {
  return unlinkDurably(cleanShutdownPath(dataDir));
}
