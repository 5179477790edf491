// Producer ids, unique for the life of the cluster: handed out from blocks of 1000 whose end is
// persisted (producer-id-block in the first data dir, written atomically) before the first id of
// a block is used — after a restart the next block starts past anything handed out before. (Kafka
// keeps these blocks in its controller's metadata log.)

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@nagare/storage";

const blockSize = 1000n;
export const producerIdBlockFileName = "producer-id-block";

export class ProducerIdManager {
  private readonly path: string;
  private next = 0n;
  private blockEnd = 0n;
  private reserving: Promise<void> | undefined;

  private constructor(path: string) {
    this.path = path;
  }

  static async open(dataDir: string): Promise<ProducerIdManager> {
    const manager = new ProducerIdManager(join(dataDir, producerIdBlockFileName));
    try {
      const text = (await readFile(manager.path, "utf8")).trim();
      if (!/^\d+$/.test(text))
        throw new Error(`${manager.path}: expected the next free producer id, got "${text}"`);
      manager.next = BigInt(text);
      manager.blockEnd = manager.next;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return manager;
  }

  async generate(): Promise<bigint> {
    while (this.next >= this.blockEnd) {
      this.reserving ??= this.reserve().finally(() => {
        this.reserving = undefined;
      });
      await this.reserving;
    }
    const id = this.next;
    this.next++;
    return id;
  }

  private async reserve(): Promise<void> {
    const end = this.blockEnd + blockSize;
    await writeFileAtomic(this.path, `${end}\n`);
    this.next = this.blockEnd;
    this.blockEnd = end;
  }
}
