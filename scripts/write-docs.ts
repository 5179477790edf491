// `npm run docs`: regenerates the generated parts of docs/.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderProtocolMatrix } from "./protocol-matrix.ts";

const target = resolve(import.meta.dirname, "../docs/protocol.md");
writeFileSync(target, renderProtocolMatrix());
console.log(`wrote ${target}`);
