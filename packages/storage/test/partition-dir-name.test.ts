import assert from "node:assert/strict";
import { test } from "node:test";
import { deleteDirName, parsePartitionDirName, partitionDirName } from "../src/partition-dir-name.ts";

test("partition directory names split at the last dash", () => {
  assert.deepEqual(parsePartitionDirName("orders-0"), { topic: "orders", partition: 0 });
  assert.deepEqual(parsePartitionDirName("my-topic.v2-17"), { topic: "my-topic.v2", partition: 17 });
  assert.deepEqual(parsePartitionDirName("a--3"), { topic: "a-", partition: 3 });
  assert.equal(partitionDirName("my-topic.v2", 17), "my-topic.v2-17");
});

test("names that are not partition directories are rejected", () => {
  for (const name of [
    "orders",
    "-0",
    "orders-",
    "orders-x",
    "orders-01",
    "orders-2147483648",
    "orders-0.0123abcd-delete",
    "orders-0.0123abcd-future",
    "bad topic-0",
    "..-0",
    "lost+found",
  ])
    assert.equal(parsePartitionDirName(name), undefined, name);
});

test("a delete name never parses as a partition and stays within 255 bytes", () => {
  const id = "0123456789abcdef0123456789abcdef";
  const name = deleteDirName("orders", 3, id);
  assert.equal(name, `orders-3.${id}-delete`);
  assert.equal(parsePartitionDirName(name), undefined);
  const long = deleteDirName("t".repeat(249), 2147483647, id);
  assert.ok(long.length <= 255 && long.endsWith(`-2147483647.${id}-delete`));
});
