// What every client command shares: --bootstrap-server (Kafka tools' name; NAGARE_BOOTSTRAP_SERVER
// or localhost:9092 by default), --command-config style key=value properties, one-line errors with
// meaningful exit codes, and an admin client that is always closed.

import { Admin, KafkaClientError, KafkaProtocolError } from "@nagare/client";
import { type Command, InvalidArgumentError, Option } from "commander";

export const defaultBootstrap = "localhost:9092";

export class UsageError extends Error {}

export function bootstrapOption(): Option {
  return new Option("--bootstrap-server <host:port[,host:port]>", "brokers to connect to")
    .env("NAGARE_BOOTSTRAP_SERVER")
    .default(defaultBootstrap);
}

export function brokersOf(value: string): string[] {
  const brokers = value
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "");
  if (brokers.length === 0) throw new UsageError("--bootstrap-server needs at least one host:port");
  return brokers;
}

/** `key=value` → [key, value], for repeated options such as --config and --property. */
export function keyValue(text: string, previous: [string, string][] = []): [string, string][] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  return [...previous, [text.slice(0, eq), text.slice(eq + 1)]];
}

export function integer(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected an integer, got "${text}"`);
  return n;
}

export async function withAdmin<T>(bootstrap: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ brokers: brokersOf(bootstrap), clientId: "nagare-cli", retries: 2 });
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/** Exit codes: 0 ok, 1 the operation failed (broker said no, unreachable), 2 wrong usage. */
export function reportError(command: string, error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidArgumentError) {
    console.error(`nagare ${command}: ${error.message}`);
    return 2;
  }
  if (error instanceof KafkaProtocolError) {
    console.error(`nagare ${command}: ${error.message}`);
    return 1;
  }
  if (error instanceof KafkaClientError) {
    console.error(
      `nagare ${command}: ${error.message} (is a broker running at the --bootstrap-server address?)`,
    );
    return 1;
  }
  console.error(`nagare ${command}: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

/** Runs a commander program on `argv`, mapping its own usage errors to exit code 2. */
export async function runProgram(program: Command, argv: readonly string[], name: string): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    return 2;
  }
  const output = {
    writeErr: (text: string) => process.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) =>
      write(`nagare ${name}: ${text.replace(/^error: /, "")}`),
  };
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput(output);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    const code = (error as { code?: string; exitCode?: number }).code;
    if (code === "commander.helpDisplayed" || code === "commander.help" || code === "commander.version")
      return 0;
    if (typeof code === "string" && code.startsWith("commander.")) return 2;
    return reportError(name, error);
  }
  return 0;
}
