// `nagare configs describe|alter` — kafka-configs.sh for topics and brokers.

import type { ConfigOp, ConfigResource } from "@nagare/client";
import { Command } from "commander";
import { bootstrapOption, runProgram, UsageError, withAdmin } from "./common.ts";

interface Options {
  bootstrapServer: string;
  entityType: string;
  entityName: string;
}

function resourceOf(o: Options): ConfigResource {
  const type = o.entityType.replace(/s$/, "");
  if (type !== "topic" && type !== "broker")
    throw new UsageError(`--entity-type must be topics or brokers, got "${o.entityType}"`);
  return { type, name: o.entityName };
}

/** `a=1,b=2` (kafka-configs.sh's --add-config; [..] groups a list value with commas). */
function parseAddConfig(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.match(/[^,=]+=(\[[^\]]*\]|[^,]*)/g) ?? []) {
    const eq = part.indexOf("=");
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).replace(/^\[|\]$/g, "")]);
  }
  if (out.length === 0) throw new UsageError(`--add-config needs key=value[,key=value], got "${text}"`);
  return out;
}

function program(): Command {
  const configs = new Command("configs").description("describe and alter configs");
  configs
    .command("describe")
    .description("configs of a topic or broker (explicitly set ones; --all for every config)")
    .addOption(bootstrapOption())
    .requiredOption("--entity-type <topics|brokers>", "what to describe")
    .requiredOption("--entity-name <name>", "topic name or broker id")
    .option("--all", "include defaults")
    .action(async (o: Options & { all?: boolean }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        const resource = resourceOf(o);
        const [result] = await admin.describeConfigs([resource]);
        const entries = (result?.entries ?? []).filter(
          (e) => o.all || (e.source !== "DEFAULT_CONFIG" && !e.isDefault),
        );
        console.log(`${o.all ? "All" : "Dynamic"} configs for ${resource.type} ${resource.name} are:`);
        for (const e of entries)
          console.log(
            `  ${e.name}=${e.sensitive ? "(sensitive)" : (e.value ?? "null")} source=${e.source}${e.readOnly ? " read-only" : ""}`,
          );
      }),
    );
  configs
    .command("alter")
    .description("set, delete (and append to / subtract from list) configs")
    .addOption(bootstrapOption())
    .requiredOption("--entity-type <topics|brokers>", "what to alter")
    .requiredOption("--entity-name <name>", "topic name or broker id")
    .option("--add-config <k=v,...>", "configs to set")
    .option("--delete-config <k,...>", "configs to reset to their default")
    .option("--append-config <k=v,...>", "values to append to list configs")
    .option("--subtract-config <k=v,...>", "values to remove from list configs")
    .action(
      async (
        o: Options & {
          addConfig?: string;
          deleteConfig?: string;
          appendConfig?: string;
          subtractConfig?: string;
        },
      ) =>
        withAdmin(o.bootstrapServer, async (admin) => {
          const ops: ConfigOp[] = [
            ...(o.addConfig
              ? parseAddConfig(o.addConfig).map(([name, value]) => ({ name, op: "set" as const, value }))
              : []),
            ...(o.deleteConfig
              ? o.deleteConfig.split(",").map((name) => ({ name: name.trim(), op: "delete" as const }))
              : []),
            ...(o.appendConfig
              ? parseAddConfig(o.appendConfig).map(([name, value]) => ({
                  name,
                  op: "append" as const,
                  value,
                }))
              : []),
            ...(o.subtractConfig
              ? parseAddConfig(o.subtractConfig).map(([name, value]) => ({
                  name,
                  op: "subtract" as const,
                  value,
                }))
              : []),
          ];
          if (ops.length === 0)
            throw new UsageError(
              "nothing to alter: give --add-config, --delete-config, --append-config or --subtract-config",
            );
          const resource = resourceOf(o);
          await admin.incrementalAlterConfigs([{ resource, ops }]);
          console.log(`Completed updating config for ${resource.type} ${resource.name}.`);
        }),
    );
  return configs;
}

export function runConfigs(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "configs");
}
