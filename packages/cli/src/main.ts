#!/usr/bin/env node
// The `nagare` command: the broker, and Kafka's command-line tools on @nagare/client (flags follow
// kafka-topics.sh, kafka-console-producer.sh, kafka-console-consumer.sh, kafka-consumer-groups.sh,
// kafka-configs.sh and the perf-test tools). Exit codes: 0 ok, 1 the operation failed, 2 usage.

import { runBroker } from "./commands/broker.ts";
import { runConfigs } from "./commands/configs.ts";
import { runConsume } from "./commands/consume.ts";
import { runGroups } from "./commands/groups.ts";
import { runPerf } from "./commands/perf.ts";
import { runProduce } from "./commands/produce.ts";
import { runTopics } from "./commands/topics.ts";

const commands: Record<string, string> = {
  broker: "start a Kafka-compatible broker (default PLAINTEXT://localhost:9092, data in ./data)",
  topics: "create, list, describe, alter and delete topics",
  produce: "produce messages from stdin or a file",
  consume: "consume messages",
  groups: "list, describe, reset and delete consumer groups",
  configs: "describe and alter configs",
  perf: "producer and consumer performance tests",
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, about]) => `  ${name.padEnd(width)}  ${about}`);
  return ["usage: nagare <command> [options]", "", "commands:", ...lines].join("\n");
}

export async function run(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(usage());
    return 0;
  }
  if (!(command in commands)) {
    console.error(`nagare: unknown command "${command}"; run "nagare --help" for the list of commands`);
    return 2;
  }
  const rest = argv.slice(1);
  if (command === "broker") return runBroker(rest);
  if (command === "topics") return runTopics(rest);
  if (command === "groups") return runGroups(rest);
  if (command === "configs") return runConfigs(rest);
  if (command === "produce") return runProduce(rest);
  if (command === "consume") return runConsume(rest);
  if (command === "perf") return runPerf(rest);
  console.error(`nagare ${command}: unknown command`);
  return 2;
}

process.exitCode = await run(process.argv.slice(2));
