// `npm run docs`: regenerates the generated parts of docs/.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderConfigReference } from "./config-reference.ts";
import { renderProtocolMatrix } from "./protocol-matrix.ts";

for (const [file, render] of [
  ["protocol.md", renderProtocolMatrix],
  ["configuration.md", renderConfigReference],
] as const) {
  const target = resolve(import.meta.dirname, "../docs", file);
  writeFileSync(target, render());
  console.log(`wrote ${target}`);
}
