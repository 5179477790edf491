# confluent-kafka side of the capture (run by ../capture.ts with Debian's /usr/bin/python3, which
# has python3-confluent-kafka on the system librdkafka): one producer per topic of the spec with its
# compression codec (one of them idempotent), then a consumer group that reads, commits
# synchronously and leaves; first the admin client creates a topic.
import json
import os
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

spec = json.loads(os.environ["FX_SPEC"])

admin = AdminClient({"bootstrap.servers": spec["bootstrap"], "client.id": spec["clientId"]})
for future in admin.create_topics([NewTopic(spec["createTopic"], 2, 1)], request_timeout=10).values():
    future.result(timeout=15)


def utf8(text):
    return None if text is None else text.encode("utf-8")


for produce in spec["produce"]:
    producer = Producer(
        {
            "bootstrap.servers": spec["bootstrap"],
            "client.id": spec["clientId"],
            "compression.type": produce["codec"],
            "linger.ms": 100,
            "enable.idempotence": bool(produce.get("idempotent", False)),
        }
    )
    # Messages produced before the partition is known are sent as soon as it is, one request
    # each; learning the metadata first lets linger.ms gather them into one batch.
    producer.list_topics(produce["topic"], timeout=10)
    for message in produce["messages"]:
        producer.produce(
            produce["topic"],
            key=utf8(message["key"]),
            value=utf8(message["value"]),
            headers=[(h["key"], utf8(h["value"])) for h in message["headers"]],
        )
    # flush() sends at once, ignoring linger.ms, so messages still being partitioned would go out
    # one per request; polling first lets the lingering batch leave whole.
    producer.poll(0.5)
    if producer.flush(10) != 0:
        raise SystemExit(f"messages to {produce['topic']} were not delivered")

consumer = Consumer(
    {
        "bootstrap.servers": spec["bootstrap"],
        "client.id": spec["clientId"],
        "group.id": spec["group"],
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "heartbeat.interval.ms": 300,
    }
)
consumer.subscribe([spec["consumeTopic"]])
received = 0
deadline = time.monotonic() + 20
while received < spec["consumeCount"] and time.monotonic() < deadline:
    message = consumer.poll(0.5)
    if message is not None and message.error() is None:
        received += 1
consumer.commit(asynchronous=False)
time.sleep(1.5)
consumer.close()
if received < spec["consumeCount"]:
    raise SystemExit(f"consumed {received} of {spec['consumeCount']} records")
