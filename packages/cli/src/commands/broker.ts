// `nagare broker [--config server.properties] [--override key=value]...`: starts a broker in the
// foreground; SIGTERM/SIGINT stop it gracefully (exit 0). Configuration precedence: file, then
// overrides, then NAGARE_* environment variables.

import { readFile } from "node:fs/promises";
import {
  Broker,
  ConfigError,
  configFromEnv,
  createLogger,
  parseProperties,
  resolveBrokerConfig,
} from "@nagare/broker";

export const brokerUsage = `usage: nagare broker [--config <server.properties>] [--override key=value]...

Starts a Kafka-compatible broker (default PLAINTEXT://localhost:9092, data in ./data).
Configs use Kafka's names; NAGARE_<KEY> environment variables (dots as underscores) override both.`;

/** Parses the arguments; returns a message for the user when they are wrong. */
export function parseBrokerArgs(
  argv: readonly string[],
): { configFile?: string; overrides: Record<string, string> } | string {
  const overrides: Record<string, string> = {};
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--config") {
      const file = argv[++i];
      if (file === undefined) return "--config needs a file path";
      configFile = file;
    } else if (arg === "--override") {
      const pair = argv[++i];
      const eq = pair?.indexOf("=") ?? -1;
      if (pair === undefined || eq <= 0) return `--override needs key=value, got "${pair ?? ""}"`;
      overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg.endsWith(".properties") && configFile === undefined) {
      configFile = arg; // kafka-server-start.sh style: the file as a positional argument
    } else {
      return `unknown argument "${arg}"; run "nagare broker --help"`;
    }
  }
  return configFile === undefined ? { overrides } : { configFile, overrides };
}

export async function runBroker(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(brokerUsage);
    return 0;
  }
  const args = parseBrokerArgs(argv);
  if (typeof args === "string") {
    console.error(`nagare broker: ${args}`);
    return 2;
  }
  let broker: Broker;
  try {
    const file = args.configFile
      ? parseProperties(await readFile(args.configFile, "utf8"), args.configFile)
      : undefined;
    const config = resolveBrokerConfig({
      ...(file ? { file } : {}),
      overrides: args.overrides,
      env: configFromEnv(process.env),
    });
    broker = await Broker.start(config, { logger: createLogger() });
  } catch (error) {
    const message = error instanceof ConfigError || isNodeError(error) ? error.message : String(error);
    console.error(`nagare broker: ${message}`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await broker.stop();
  return 0;
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
