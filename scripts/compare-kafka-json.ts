// Developer tool: compares our API declarations with Kafka's own message definitions (JSON) from a
// local checkout of Apache Kafka, field by field (type, versions, nullable/tagged versions, tag,
// default), and prints every difference. Not part of `npm test`: CI has no Kafka checkout.
//
//   node scripts/compare-kafka-json.ts [--kafka DIR] <declaration.ts>...
//
// DIR defaults to $KAFKA_SRC or /work/.mirror/apache+kafka/repo (a bare mirror: files are read
// with `git show HEAD:<path>`). Versions newer than the checkout are reported as notes only.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ApiDecl, FieldDecl } from "../packages/protocol/src/schema/declaration.ts";

interface KafkaField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string;
  fields?: KafkaField[];
}

interface KafkaMessage {
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: KafkaField[];
  commonStructs?: { name: string; fields: KafkaField[] }[];
}

const messageDir = "clients/src/main/resources/common/message";

function readKafkaJson(kafkaDir: string, file: string): KafkaMessage | undefined {
  let text: string;
  if (existsSync(resolve(kafkaDir, messageDir))) {
    const path = resolve(kafkaDir, messageDir, file);
    if (!existsSync(path)) return undefined;
    text = readFileSync(path, "utf8");
  } else {
    try {
      text = execFileSync("git", ["-C", kafkaDir, "show", `HEAD:${messageDir}/${file}`], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch {
      return undefined;
    }
  }
  const withoutComments = text.replace(/^\s*\/\/.*$/gm, "");
  return JSON.parse(withoutComments) as KafkaMessage;
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function maxVersion(range: string): number {
  if (range === "none") return -1;
  if (range.endsWith("+")) return Number.POSITIVE_INFINITY;
  const parts = range.split("-");
  return Number(parts[parts.length - 1]);
}

function ourType(
  field: KafkaField,
  structs: Map<string, KafkaField[]>,
): { type: string; fields?: KafkaField[] } {
  const scalars = new Set([
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint16",
    "uint32",
    "float64",
    "uuid",
    "string",
    "bytes",
    "records",
  ]);
  if (field.type.startsWith("[]")) {
    const element = field.type.slice(2);
    if (scalars.has(element)) return { type: field.type };
    const fields = field.fields ?? structs.get(element);
    return fields ? { type: "[]", fields } : { type: "[]" };
  }
  if (scalars.has(field.type)) return { type: field.type };
  const fields = field.fields ?? structs.get(field.type);
  return fields ? { type: "{}", fields } : { type: "{}" };
}

function normalizeDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && /^-?0x[0-9a-f]+$/i.test(value)) return BigInt(value).toString();
  return String(value);
}

function compareFields(
  path: string,
  kafka: KafkaField[],
  ours: readonly FieldDecl[],
  structs: Map<string, KafkaField[]>,
  out: string[],
): void {
  const byName = new Map(ours.map((f) => [f.name, f]));
  for (const kf of kafka) {
    const name = camel(kf.name);
    const of = byName.get(name);
    const where = `${path}.${name}`;
    if (!of) {
      out.push(`missing field ${where} (Kafka: ${kf.type} v${kf.versions})`);
      continue;
    }
    byName.delete(name);
    const expected = ourType(kf, structs);
    if (expected.type !== of.type) out.push(`${where}: type ${of.type}, Kafka ${kf.type}`);
    if (kf.versions !== of.versions) out.push(`${where}: versions "${of.versions}", Kafka "${kf.versions}"`);
    if ((kf.nullableVersions ?? "") !== (of.nullableVersions ?? ""))
      out.push(
        `${where}: nullableVersions "${of.nullableVersions ?? ""}", Kafka "${kf.nullableVersions ?? ""}"`,
      );
    if ((kf.taggedVersions ?? "") !== (of.taggedVersions ?? ""))
      out.push(`${where}: taggedVersions "${of.taggedVersions ?? ""}", Kafka "${kf.taggedVersions ?? ""}"`);
    if (kf.tag !== of.tag) out.push(`${where}: tag ${String(of.tag)}, Kafka ${String(kf.tag)}`);
    const kd = normalizeDefault(kf.default);
    const od = normalizeDefault(of.default);
    const implicit = kd === "0" || kd === "false" || kd === "" || kd === undefined;
    if (kd !== od && !(implicit && od === undefined))
      out.push(`${where}: default ${String(od)}, Kafka ${String(kd)}`);
    if (expected.fields) compareFields(where, expected.fields, of.fields ?? [], structs, out);
  }
  for (const extra of byName.keys()) out.push(`note: ${path}.${extra} is not in the Kafka checkout (newer?)`);
}

function compareMessage(
  api: ApiDecl,
  side: "request" | "response",
  kafka: KafkaMessage,
  out: string[],
): void {
  const structs = new Map((kafka.commonStructs ?? []).map((s) => [s.name, s.fields]));
  if (maxVersion(api.validVersions) < maxVersion(kafka.validVersions))
    out.push(`${side}: validVersions "${api.validVersions}" below Kafka "${kafka.validVersions}"`);
  if (api.flexibleVersions !== kafka.flexibleVersions)
    out.push(`${side}: flexibleVersions "${api.flexibleVersions}", Kafka "${kafka.flexibleVersions}"`);
  compareFields(side, kafka.fields, api[side].fields, structs, out);
}

function isApiDecl(value: unknown): value is ApiDecl {
  return typeof value === "object" && value !== null && "apiKey" in value && "request" in value;
}

async function main(argv: string[]): Promise<number> {
  let kafkaDir = process.env.KAFKA_SRC ?? "/work/.mirror/apache+kafka/repo";
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--kafka") kafkaDir = argv[++i] ?? kafkaDir;
    else files.push(arg);
  }
  if (files.length === 0) {
    console.error("usage: node scripts/compare-kafka-json.ts [--kafka DIR] <declaration.ts>...");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
    for (const api of Object.values(module).filter(isApiDecl)) {
      const out: string[] = [];
      for (const side of ["request", "response"] as const) {
        const suffix = side === "request" ? "Request" : "Response";
        const kafka = readKafkaJson(kafkaDir, `${api.name}${suffix}.json`);
        if (!kafka) out.push(`note: no ${api.name}${suffix}.json in the Kafka checkout`);
        else compareMessage(api, side, kafka, out);
      }
      problems += out.filter((line) => !line.startsWith("note:")).length;
      console.log(`${api.name} (key ${api.apiKey}): ${out.length === 0 ? "matches" : ""}`);
      for (const line of out) console.log(`  ${line}`);
    }
  }
  return problems === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
