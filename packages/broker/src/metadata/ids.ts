// Kafka-style identifiers. A cluster id is 16 random bytes in URL-safe base64 without padding
// (22 characters), as Kafka's Uuid.toString; like Kafka we never hand out one starting with '-',
// which command-line tools would take for an option. Topic ids are random UUIDv4 text (KIP-516).

import { randomBytes, randomUUID } from "node:crypto";

export const zeroUuid = "00000000-0000-0000-0000-000000000000";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function randomClusterId(): string {
  // Each try fails with probability 1/64; 64 tries bound the loop far beyond any realistic need.
  for (let attempt = 0; attempt < 64; attempt++) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
  throw new Error("could not generate a cluster id not starting with '-'");
}

export function randomTopicId(): string {
  return randomUUID();
}

export function isTopicId(text: string): boolean {
  return uuidPattern.test(text) && text !== zeroUuid;
}
