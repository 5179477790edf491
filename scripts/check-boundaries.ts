// `npm run boundaries`: fails when a package imports what DESIGN.md forbids (see boundaries.ts).
// Reads every .ts file under packages/*/src and packages/*/test.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { classify, type PackageName, packageNames, violation } from "./boundaries.ts";

const root = resolve(import.meta.dirname, "..");
const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function* tsFiles(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "fixtures") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (entry.endsWith(".ts")) yield path;
  }
}

const problems: string[] = [];
let files = 0;
for (const pkg of packageNames as readonly PackageName[]) {
  for (const part of ["src", "test"] as const) {
    for (const file of tsFiles(join(root, "packages", pkg, part))) {
      files++;
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(importPattern)) {
        const specifier = (match[1] ?? match[2]) as string;
        const resolved = specifier.startsWith(".")
          ? relative(root, resolve(dirname(file), specifier))
          : undefined;
        const message = violation(pkg, classify(specifier, resolved), part);
        if (message) problems.push(`${relative(root, file)}: imports "${specifier}": ${message}`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`import boundaries: ${problems.length} forbidden import(s)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exitCode = 1;
} else {
  console.log(`import boundaries: ${files} files checked, no forbidden imports`);
}
