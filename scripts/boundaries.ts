// The import rules of DESIGN.md ("Layout"), as data plus one pure function, so the check script
// and its tests share them.
//
// protocol imports nothing of ours (and no I/O modules: it is sans-io; its tests may read fixture
// files with node:fs); storage imports protocol's records only; broker imports protocol, storage
// and the low-level connection of client; client imports protocol only; streams, connect and
// console import client; cli and testkit anything.

export const packageNames = [
  "protocol",
  "storage",
  "broker",
  "client",
  "streams",
  "connect",
  "console",
  "cli",
  "testkit",
] as const;

export type PackageName = (typeof packageNames)[number];

/** A target package, optionally restricted to files under one of its `src/` sub-paths. */
interface Allowance {
  readonly target: PackageName;
  readonly only?: readonly string[];
}

const allowed: Record<PackageName, readonly Allowance[] | "any"> = {
  protocol: [],
  storage: [{ target: "protocol", only: ["records"] }],
  broker: [{ target: "protocol" }, { target: "storage" }, { target: "client", only: ["connection"] }],
  client: [{ target: "protocol" }],
  streams: [{ target: "client" }],
  connect: [{ target: "client" }],
  console: [{ target: "client" }],
  cli: "any",
  testkit: "any",
};

/** Node modules that do I/O or keep time: the sans-io protocol package must not import them. */
const ioModules = new Set([
  "net",
  "tls",
  "fs",
  "fs/promises",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "child_process",
  "cluster",
  "timers",
  "timers/promises",
  "worker_threads",
]);

export interface ImportTarget {
  /** The package the import lands in, or undefined for third-party and node: modules. */
  readonly pkg: PackageName | undefined;
  /** Path inside that package's src/ (e.g. "records/batch.ts"), or the subpath export. */
  readonly subpath: string;
  readonly nodeModule: string | undefined;
}

/** Classifies a resolved import: `resolvedPath` is repo-relative for relative imports. */
export function classify(specifier: string, resolvedPath: string | undefined): ImportTarget {
  if (specifier.startsWith("node:")) return { pkg: undefined, subpath: "", nodeModule: specifier.slice(5) };
  if (ioModules.has(specifier)) return { pkg: undefined, subpath: "", nodeModule: specifier };
  const scoped = /^@nagare\/([a-z]+)(?:\/(.*))?$/.exec(specifier);
  if (scoped) return { pkg: scoped[1] as PackageName, subpath: scoped[2] ?? "", nodeModule: undefined };
  if (resolvedPath) {
    const inRepo = /^packages\/([a-z]+)\/(?:src|test)\/(.*)$/.exec(resolvedPath);
    if (inRepo) return { pkg: inRepo[1] as PackageName, subpath: inRepo[2] ?? "", nodeModule: undefined };
  }
  return { pkg: undefined, subpath: "", nodeModule: undefined };
}

/** What a package's tests may read besides what its sources may: committed fixture files. */
const testReadModules = new Set(["fs", "fs/promises"]);

/**
 * Returns a message when `from` (a package) may not import `target`, otherwise undefined. `part`
 * says whether the importing file is under the package's src/ or test/.
 */
export function violation(
  from: PackageName,
  target: ImportTarget,
  part: "src" | "test" = "src",
): string | undefined {
  if (target.nodeModule !== undefined) {
    if (part === "test" && testReadModules.has(target.nodeModule)) return undefined;
    if (from === "protocol" && ioModules.has(target.nodeModule))
      return `protocol is sans-io and must not import node:${target.nodeModule}`;
    return undefined;
  }
  if (target.pkg === undefined || target.pkg === from) return undefined;
  const rules = allowed[from];
  if (rules === "any") return undefined;
  const rule = rules.find((r) => r.target === target.pkg);
  if (!rule) return `${from} must not import ${target.pkg}`;
  if (
    rule.only &&
    !rule.only.some((prefix) => target.subpath === prefix || target.subpath.startsWith(`${prefix}/`))
  )
    return `${from} may import only ${rule.only.map((p) => `${target.pkg}/${p}`).join(", ")} of ${target.pkg}`;
  return undefined;
}
