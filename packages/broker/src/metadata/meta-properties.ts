// `meta.properties` in Kafka's format (KRaft, version 1): `version`, `node.id`, `cluster.id`. It
// binds a data directory to one broker and one cluster: a directory written by another node id is
// refused, so two brokers never share (or swap) their data by accident. Version 0 files (ZooKeeper
// era, `broker.id`) are read too.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@nagare/storage";
import { parseProperties } from "../config/broker-config.ts";
import { randomClusterId } from "./ids.ts";
import { MetadataError } from "./metadata-error.ts";

export const metaPropertiesFileName = "meta.properties";

export interface MetaProperties {
  readonly version: number;
  readonly nodeId: number;
  readonly clusterId: string;
}

function invalid(path: string, what: string): MetadataError {
  return new MetadataError(
    "INVALID_META_PROPERTIES",
    `${path}: ${what}; fix the file or remove it to start this directory as a new cluster member`,
  );
}

/** The parsed file, or undefined when the directory has none. */
export async function readMetaProperties(dir: string): Promise<MetaProperties | undefined> {
  const path = join(dir, metaPropertiesFileName);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let values: Record<string, string>;
  try {
    values = parseProperties(text, path);
  } catch (error) {
    throw invalid(path, error instanceof Error ? error.message : String(error));
  }
  const version = Number(values.version ?? "0");
  if (version !== 0 && version !== 1) throw invalid(path, `unsupported version=${values.version}`);
  const idText = version === 1 ? values["node.id"] : (values["broker.id"] ?? values["node.id"]);
  const nodeId = Number(idText);
  if (idText === undefined || !/^\d+$/.test(idText) || !Number.isSafeInteger(nodeId))
    throw invalid(path, `missing or invalid ${version === 1 ? "node.id" : "broker.id"}`);
  const clusterId = values["cluster.id"];
  if (clusterId === undefined || clusterId === "") throw invalid(path, "missing cluster.id");
  return { version, nodeId, clusterId };
}

export function formatMetaProperties(props: { nodeId: number; clusterId: string }, now: Date): string {
  return `#\n#${now.toISOString()}\ncluster.id=${props.clusterId}\nnode.id=${props.nodeId}\nversion=1\n`;
}

/**
 * Reads the directory's meta.properties, or writes a new one with a fresh cluster id. Refuses a
 * directory that belongs to another node id.
 */
export async function ensureMetaProperties(dir: string, nodeId: number, now: Date): Promise<MetaProperties> {
  const existing = await readMetaProperties(dir);
  if (existing) {
    if (existing.nodeId !== nodeId)
      throw new MetadataError(
        "NODE_ID_MISMATCH",
        `${join(dir, metaPropertiesFileName)} belongs to node.id=${existing.nodeId}, but this broker is ` +
          `configured with node.id=${nodeId}; set node.id=${existing.nodeId} or use another log.dirs`,
      );
    return existing;
  }
  const created = { version: 1, nodeId, clusterId: randomClusterId() };
  await writeFileAtomic(join(dir, metaPropertiesFileName), formatMetaProperties(created, now));
  return created;
}
