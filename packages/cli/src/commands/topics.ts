// `nagare topics create|list|describe|alter|delete` — kafka-topics.sh's jobs with its flag names.

import { Command } from "commander";
import { bootstrapOption, integer, keyValue, runProgram, withAdmin } from "./common.ts";

interface Options {
  bootstrapServer: string;
}

function program(): Command {
  const topics = new Command("topics").description("create, list, describe, alter and delete topics");
  topics
    .command("list")
    .description("print topic names, one per line")
    .addOption(bootstrapOption())
    .option("--exclude-internal", "leave out internal topics (__consumer_offsets, …)")
    .action(async (o: Options & { excludeInternal?: boolean }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        for (const name of await admin.listTopics({ includeInternal: !o.excludeInternal })) console.log(name);
      }),
    );
  topics
    .command("create")
    .description("create a topic")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic name")
    .option("--partitions <n>", "number of partitions (default: the broker's num.partitions)", integer)
    .option("--replication-factor <n>", "replicas per partition (default: the broker's default)", integer)
    .option("--config <key=value>", "topic config, repeatable", keyValue)
    .option("--if-not-exists", "succeed when the topic already exists")
    .action(
      async (
        o: Options & {
          topic: string;
          partitions?: number;
          replicationFactor?: number;
          config?: [string, string][];
          ifNotExists?: boolean;
        },
      ) =>
        withAdmin(o.bootstrapServer, async (admin) => {
          if (o.ifNotExists && (await admin.listTopics({ includeInternal: true })).includes(o.topic)) return;
          await admin.createTopics([
            {
              name: o.topic,
              ...(o.partitions !== undefined ? { partitions: o.partitions } : {}),
              ...(o.replicationFactor !== undefined ? { replicationFactor: o.replicationFactor } : {}),
              configs: Object.fromEntries(o.config ?? []),
            },
          ]);
          console.log(`Created topic ${o.topic}.`);
        }),
    );
  topics
    .command("describe")
    .description("partitions, leaders and configs of topics (all when --topic is omitted)")
    .addOption(bootstrapOption())
    .option("--topic <name>", "topic name")
    .action(async (o: Options & { topic?: string }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        const names = o.topic ? [o.topic] : await admin.listTopics({ includeInternal: true });
        for (const topic of await admin.describeTopics(names)) {
          const configs =
            (await admin.describeConfigs([{ type: "topic", name: topic.name }]))[0]?.entries ?? [];
          const set = configs
            .filter((c) => c.source === "DYNAMIC_TOPIC_CONFIG")
            .map((c) => `${c.name}=${c.value ?? ""}`);
          console.log(
            `Topic: ${topic.name}\tTopicId: ${topic.topicId}\tPartitionCount: ${topic.partitions.length}\tReplicationFactor: ${topic.partitions[0]?.replicas.length ?? 0}\tConfigs: ${set.join(",")}`,
          );
          for (const p of topic.partitions)
            console.log(
              `\tTopic: ${topic.name}\tPartition: ${p.partition}\tLeader: ${p.leader}\tReplicas: ${p.replicas.join(",")}\tIsr: ${p.isr.join(",")}`,
            );
        }
      }),
    );
  topics
    .command("alter")
    .description("add partitions to a topic")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic name")
    .requiredOption("--partitions <n>", "the new (larger) partition count", integer)
    .action(async (o: Options & { topic: string; partitions: number }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        await admin.createPartitions([{ topic: o.topic, count: o.partitions }]);
        console.log(`Topic ${o.topic} now has ${o.partitions} partitions.`);
      }),
    );
  topics
    .command("delete")
    .description("delete a topic and its data")
    .addOption(bootstrapOption())
    .requiredOption("--topic <name>", "topic name")
    .option("--if-exists", "succeed when the topic does not exist")
    .action(async (o: Options & { topic: string; ifExists?: boolean }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        if (o.ifExists && !(await admin.listTopics({ includeInternal: true })).includes(o.topic)) return;
        await admin.deleteTopics([o.topic]);
        console.log(`Deleted topic ${o.topic}.`);
      }),
    );
  return topics;
}

export function runTopics(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "topics");
}
