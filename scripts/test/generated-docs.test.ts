import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { renderConfigReference } from "../config-reference.ts";
import { renderProtocolMatrix } from "../protocol-matrix.ts";

test("docs/protocol.md is generated from the current registry (run `npm run docs`)", () => {
  const committed = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
  assert.equal(committed, renderProtocolMatrix());
});

test("docs/configuration.md is generated from the current config tables (run `npm run docs`)", () => {
  const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  assert.equal(committed, renderConfigReference());
});
