// `nagare groups list|describe|reset-offsets|delete` — kafka-consumer-groups.sh's jobs. describe
// prints Kafka's table: one line per partition with committed offset, log end offset and lag,
// and the member holding it.

import type { Admin, ResetTarget } from "@nagare/client";
import { Command } from "commander";
import { bootstrapOption, runProgram, UsageError, withAdmin } from "./common.ts";
import { printTable } from "./table.ts";

interface Options {
  bootstrapServer: string;
}

async function describeGroup(admin: Admin, groupId: string): Promise<void> {
  const [group] = await admin.describeGroups([groupId]);
  if (!group || (group.state === "Dead" && group.members.length === 0))
    throw new Error(`group "${groupId}" does not exist`);
  const lag = await admin.groupLag(groupId);
  const owner = new Map<string, { memberId: string; clientHost: string; clientId: string }>();
  for (const m of group.members) for (const p of m.assignment) owner.set(`${p.topic}:${p.partition}`, m);
  const rows = lag.map((l) => {
    const m = owner.get(`${l.topic}:${l.partition}`);
    return [
      groupId,
      l.topic,
      String(l.partition),
      l.committed >= 0n ? String(l.committed) : "-",
      String(l.logEndOffset),
      l.lag === undefined ? "-" : String(l.lag),
      m?.memberId ?? "-",
      m?.clientHost ?? "-",
      m?.clientId ?? "-",
    ];
  });
  // Assigned partitions without a committed offset yet are shown too (as Kafka does).
  for (const m of group.members)
    for (const p of m.assignment)
      if (!lag.some((l) => l.topic === p.topic && l.partition === p.partition))
        rows.push([
          groupId,
          p.topic,
          String(p.partition),
          "-",
          "-",
          "-",
          m.memberId,
          m.clientHost,
          m.clientId,
        ]);
  if (rows.length === 0)
    console.log(`Consumer group '${groupId}' has no active members and no committed offsets.`);
  else if (group.members.length === 0) console.log(`Consumer group '${groupId}' has no active members.\n`);
  printTable(
    [
      "GROUP",
      "TOPIC",
      "PARTITION",
      "CURRENT-OFFSET",
      "LOG-END-OFFSET",
      "LAG",
      "CONSUMER-ID",
      "HOST",
      "CLIENT-ID",
    ],
    rows,
  );
}

interface ResetOptions extends Options {
  group: string;
  topic?: string;
  allTopics?: boolean;
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: string;
  toDatetime?: string;
  shiftBy?: string;
  execute?: boolean;
  dryRun?: boolean;
}

function resetTarget(o: ResetOptions): ResetTarget {
  const chosen = [o.toEarliest, o.toLatest, o.toOffset, o.toDatetime, o.shiftBy].filter(
    (x) => x !== undefined,
  );
  if (chosen.length !== 1)
    throw new UsageError(
      "give exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime, --shift-by",
    );
  if (o.toEarliest) return { to: "earliest" };
  if (o.toLatest) return { to: "latest" };
  if (o.toOffset !== undefined) {
    if (!/^\d+$/.test(o.toOffset))
      throw new UsageError(`--to-offset needs a non-negative integer, got "${o.toOffset}"`);
    return { to: "offset", offset: BigInt(o.toOffset) };
  }
  if (o.shiftBy !== undefined) {
    if (!/^-?\d+$/.test(o.shiftBy)) throw new UsageError(`--shift-by needs an integer, got "${o.shiftBy}"`);
    return { to: "shift", by: BigInt(o.shiftBy) };
  }
  const ms = Date.parse(o.toDatetime as string);
  if (Number.isNaN(ms))
    throw new UsageError(`--to-datetime needs a date like 2026-01-31T12:00:00Z, got "${o.toDatetime}"`);
  return { to: "timestamp", timestamp: ms };
}

async function resetOffsets(admin: Admin, o: ResetOptions): Promise<void> {
  if (!o.topic && !o.allTopics) throw new UsageError("give --topic <name> or --all-topics");
  const target = resetTarget(o);
  const planned = await admin.resetGroupOffsets(o.group, o.topic ? [o.topic] : "all", target, {
    dryRun: !o.execute,
  });
  printTable(
    ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"],
    planned.map((p) => [o.group, p.topic, String(p.partition), String(p.offset)]),
  );
  if (!o.execute)
    console.log("\n(dry run: nothing changed; add --execute to apply, as kafka-consumer-groups.sh)");
}

function program(): Command {
  const groups = new Command("groups").description("list, describe, reset and delete consumer groups");
  groups
    .command("list")
    .description("print group ids, one per line (with --state: id and state)")
    .addOption(bootstrapOption())
    .option("--state [state]", "show states, or only groups in this state")
    .action(async (o: Options & { state?: string | boolean }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        const filter = typeof o.state === "string" ? [o.state] : [];
        const listed = await admin.listGroups({ states: filter });
        if (o.state === undefined) for (const g of listed) console.log(g.groupId);
        else
          printTable(
            ["GROUP", "STATE"],
            listed.map((g) => [g.groupId, g.state]),
          );
      }),
    );
  groups
    .command("describe")
    .description("committed offsets, log end offsets, lag and owners per partition")
    .addOption(bootstrapOption())
    .requiredOption("--group <id>", "group id")
    .action(async (o: Options & { group: string }) =>
      withAdmin(o.bootstrapServer, (admin) => describeGroup(admin, o.group)),
    );
  groups
    .command("reset-offsets")
    .description("move a group's committed offsets (dry run unless --execute); the group must be inactive")
    .addOption(bootstrapOption())
    .requiredOption("--group <id>", "group id")
    .option("--topic <name>", "the topic to reset")
    .option("--all-topics", "every topic the group has offsets for")
    .option("--to-earliest", "to the log start")
    .option("--to-latest", "to the log end")
    .option("--to-offset <offset>", "to this offset (clamped to the log)")
    .option("--to-datetime <iso-date>", "to the first record at or after this time")
    .option("--shift-by <n>", "move by n (negative: back)")
    .option("--execute", "apply the change")
    .option("--dry-run", "only show the result (the default)")
    .action(async (o: ResetOptions) => withAdmin(o.bootstrapServer, (admin) => resetOffsets(admin, o)));
  groups
    .command("delete")
    .description("delete a group without members, with its offsets")
    .addOption(bootstrapOption())
    .requiredOption("--group <id>", "group id")
    .action(async (o: Options & { group: string }) =>
      withAdmin(o.bootstrapServer, async (admin) => {
        await admin.deleteGroups([o.group]);
        console.log(`Deletion of requested consumer group '${o.group}' was successful.`);
      }),
    );
  return groups;
}

export function runGroups(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv, "groups");
}
