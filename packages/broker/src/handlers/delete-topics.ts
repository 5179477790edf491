// DeleteTopics (key 20), v0–6.
//
// Behaviour:
// - v0–5 name topics by name; v6 by name or by topic id (KIP-516), never both in one entry
//   (INVALID_REQUEST), and at least one of them (INVALID_REQUEST).
// - A name or id given twice: INVALID_REQUEST "Duplicate topic name." / "Duplicate topic id.".
// - Unknown name: UNKNOWN_TOPIC_OR_PARTITION; unknown id: UNKNOWN_TOPIC_ID.
// - delete.topic.enable=false: every topic answers TOPIC_DELETION_DISABLED (v3+) or, for clients
//   that predate that code, INVALID_REQUEST (as Kafka does).
// - Deletion removes the topic from metadata (durably), then closes and deletes its partition logs
//   from disk. The answer carries the name and (v6) the id of each deleted topic.
// - errorMessage is sent from v5 (the codec leaves it out before).
// - The groups' committed offsets of a deleted topic are removed too (as Kafka's coordinator does).
// - Deviation: internal topics (__consumer_offsets) cannot be deleted (INVALID_REQUEST) — Kafka
//   allows it, and every group's state would be lost with it.
//
// Not implemented: controller mutation quotas (THROTTLING_QUOTA_EXCEEDED), waiting for timeoutMs
// (deletion completes before we answer).

import { DeleteTopics, type DeleteTopicsResponseInput, ErrorCode } from "@nagare/protocol";
import { defineHandler, type RequestContext } from "../dispatch/handler.ts";
import { zeroUuid } from "../metadata/ids.ts";
import { MetadataError } from "../metadata/metadata-error.ts";
import type { TopicMetadata } from "../metadata/metadata-image.ts";

type TopicResult = NonNullable<DeleteTopicsResponseInput["responses"]>[number];

/** One requested entry, by name (topicId zero) or by id (name null). */
interface Wanted {
  readonly name: string | null;
  readonly topicId: string;
}

function result(name: string | null, topicId: string, errorCode: number, errorMessage: string | null = null) {
  return { name, topicId, errorCode, errorMessage } satisfies TopicResult;
}

/** v0–5 send a list of names; v6 entries of name or id. */
function wantedTopics(request: { topicNames: string[]; topics: Wanted[] }, apiVersion: number): Wanted[] {
  return apiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: zeroUuid }));
}

async function deleteTopic(topic: TopicMetadata, ctx: RequestContext): Promise<number> {
  const { services } = ctx;
  try {
    await services.metadata.deleteTopic(topic.name);
  } catch (error) {
    // Deleted by a concurrent request between our lookup and the change.
    if (error instanceof MetadataError && error.code === "UNKNOWN_TOPIC")
      return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    throw error;
  }
  await services.replicas.removeTopic(topic.name);
  await services.groups.offsets.removeTopic(topic.name);
  services.logger.info({ topic: topic.name, topicId: topic.topicId }, "topic deleted");
  return ErrorCode.NONE;
}

export const deleteTopicsHandler = defineHandler({
  api: DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  handle: async (request, ctx) => {
    const { services, apiVersion } = ctx;
    const wanted = wantedTopics(request, apiVersion);
    if (!services.config.deleteTopicEnable) {
      const errorCode = apiVersion >= 3 ? ErrorCode.TOPIC_DELETION_DISABLED : ErrorCode.INVALID_REQUEST;
      return {
        throttleTimeMs: 0,
        responses: wanted.map((w) => result(w.name, w.topicId, errorCode, "Topic deletion is disabled.")),
      };
    }
    const count = new Map<string, number>();
    // Only entries naming exactly one of name and id count towards duplicates (as in Kafka).
    for (const w of wanted) {
      if ((w.name === null) === (w.topicId === zeroUuid)) continue;
      const key = w.topicId !== zeroUuid ? `id:${w.topicId}` : `name:${w.name}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    const answered = new Set<string>();
    const responses: TopicResult[] = [];
    for (const { name, topicId } of wanted) {
      const byId = topicId !== zeroUuid;
      const key = byId ? `id:${topicId}` : `name:${name}`;
      if (name !== null && byId) {
        responses.push(
          result(
            name,
            topicId,
            ErrorCode.INVALID_REQUEST,
            "You may not specify both topic name and topic id.",
          ),
        );
        continue;
      }
      if (name === null && !byId) {
        responses.push(
          result(null, zeroUuid, ErrorCode.INVALID_REQUEST, "Neither topic name nor id were specified."),
        );
        continue;
      }
      if (answered.has(key)) continue;
      answered.add(key);
      if ((count.get(key) ?? 0) > 1) {
        const message = byId ? "Duplicate topic id." : "Duplicate topic name.";
        responses.push(result(name, topicId, ErrorCode.INVALID_REQUEST, message));
        continue;
      }
      const topic = byId ? services.metadata.topicById(topicId) : services.metadata.topic(name ?? "");
      if (!topic) {
        const errorCode = byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        responses.push(result(name, topicId, errorCode));
        continue;
      }
      if (topic.internal) {
        const message = `Internal topic ${topic.name} holds the consumer groups' state and cannot be deleted.`;
        responses.push(result(topic.name, topic.topicId, ErrorCode.INVALID_REQUEST, message));
        continue;
      }
      responses.push(result(topic.name, topic.topicId, await deleteTopic(topic, ctx)));
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode, ctx) => ({
    throttleTimeMs: 0,
    responses: wantedTopics(request, ctx.apiVersion).map((w) => result(w.name, w.topicId, errorCode)),
  }),
});
