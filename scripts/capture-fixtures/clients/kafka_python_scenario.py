# kafka-python side of the capture (run by ../capture.ts with Debian's /usr/bin/python3, which has
# python3-kafka and the snappy/lz4/zstandard modules): one producer per topic of the spec with its
# compression codec, then a consumer group that reads, commits and leaves.
import json
import os
import time

from kafka import KafkaConsumer, KafkaProducer

spec = json.loads(os.environ["FX_SPEC"])


def utf8(text):
    return None if text is None else text.encode("utf-8")


for produce in spec["produce"]:
    producer = KafkaProducer(
        bootstrap_servers=spec["bootstrap"],
        client_id=spec["clientId"],
        compression_type=None if produce["codec"] == "none" else produce["codec"],
        linger_ms=100,
        acks=1,
    )
    for message in produce["messages"]:
        producer.send(
            produce["topic"],
            key=utf8(message["key"]),
            value=utf8(message["value"]),
            headers=[(h["key"], utf8(h["value"])) for h in message["headers"]],
        )
    producer.flush(timeout=10)
    producer.close(timeout=10)

consumer = KafkaConsumer(
    spec["consumeTopic"],
    bootstrap_servers=spec["bootstrap"],
    client_id=spec["clientId"],
    group_id=spec["group"],
    auto_offset_reset="earliest",
    enable_auto_commit=False,
    heartbeat_interval_ms=300,
)
received = 0
deadline = time.monotonic() + 20
while received < spec["consumeCount"] and time.monotonic() < deadline:
    batches = consumer.poll(timeout_ms=500)
    received += sum(len(records) for records in batches.values())
consumer.commit()
# Heartbeats come from a background thread; give it a moment before leaving.
time.sleep(1.5)
consumer.close()
if received < spec["consumeCount"]:
    raise SystemExit(f"consumed {received} of {spec['consumeCount']} records")
