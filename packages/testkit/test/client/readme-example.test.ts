// The README's client example, run as written (only the broker address differs).

import assert from "node:assert/strict";
import { test } from "node:test";
import { Consumer, json, Producer } from "@nagare/client";
import { startBroker } from "@nagare/testkit";

interface Order {
  id: string;
  total: number;
}

test("the README's producer and consumer", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const producer = new Producer({ brokers: [broker.bootstrap], valueSerializer: json<Order>() });
  await producer.connect();
  await producer.send({ topic: "orders", key: "o-1", value: { id: "o-1", total: 42 } });
  await producer.close();

  const consumer = new Consumer({
    brokers: [broker.bootstrap],
    groupId: "billing",
    valueDeserializer: json<Order>(),
    autoOffsetReset: "earliest",
  });
  await consumer.connect();
  consumer.subscribe(["orders"]);
  const seen: [string | null, number | undefined][] = [];
  for await (const record of consumer) {
    seen.push([record.key, record.value?.total]);
    break;
  }
  await consumer.close();
  assert.deepEqual(seen, [["o-1", 42]]);
});
