# Real Python Kafka clients driven by the end-to-end tests (packages/testkit/test/e2e/support/clients.ts).
#
#   py-client.py produce <kafka-python|confluent-kafka> <bootstrap> <topic> <codec> <count> <prefix> <base-ts>
#     message i: key "key-{i % 97}", value "{prefix}-{i}", headers seq=i and src=prefix,
#     CreateTime base-ts + i; prints {"delivered": n, "errors": [...]} as JSON.
#   py-client.py consume <kafka-python|confluent-kafka> <bootstrap> <topic[:partitions]>...
#     assigns every partition (no consumer group, no offset commits), reads from the beginning up to
#     the end offsets taken at start, prints one JSON line per message.
#   py-client.py offsets-for-times <bootstrap> <topic> <partitions> <timestamp-ms>
#     kafka-python KafkaConsumer.offsets_for_times; prints {"<partition>": offset|null}.
#
# Every loop is bounded by a deadline; the test process also kills us on its own timeout.

import json
import sys
import time

DEADLINE_S = 90


def text(b):
    return None if b is None else b.decode("utf-8")


def emit(topic, partition, offset, key, value, headers, ts, ts_type, out):
    out.append(json.dumps({
        "t": topic, "p": partition, "o": offset, "k": text(key), "v": text(value),
        "h": [[k, text(v)] for (k, v) in (headers or [])], "ts": ts, "tt": ts_type,
    }))


def produce_kafka_python(bootstrap, topic, codec, count, prefix, base_ts):
    from kafka import KafkaProducer
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, batch_size=65536,
        compression_type=None if codec == "none" else codec, max_request_size=4 * 1024 * 1024)
    errors = []
    futures = []
    for i in range(count):
        futures.append(producer.send(
            topic, key=("key-%d" % (i % 97)).encode(), value=("%s-%d" % (prefix, i)).encode(),
            headers=[("seq", str(i).encode()), ("src", prefix.encode())], timestamp_ms=base_ts + i))
    producer.flush(timeout=DEADLINE_S)
    delivered = 0
    for f in futures:
        try:
            f.get(timeout=1)
            delivered += 1
        except Exception as e:  # reported to the test, which fails on any
            errors.append(repr(e))
    producer.close(timeout=5)
    return delivered, errors[:5]


def produce_confluent(bootstrap, topic, codec, count, prefix, base_ts):
    from confluent_kafka import Producer
    producer = Producer({
        "bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
        "compression.type": codec, "partitioner": "murmur2_random", "enable.idempotence": False})
    state = {"delivered": 0, "errors": []}

    def report(err, _msg):
        if err is None:
            state["delivered"] += 1
        elif len(state["errors"]) < 5:
            state["errors"].append(str(err))

    for i in range(count):
        while True:
            try:
                producer.produce(
                    topic, key=("key-%d" % (i % 97)).encode(), value=("%s-%d" % (prefix, i)).encode(),
                    headers=[("seq", str(i).encode()), ("src", prefix.encode())],
                    timestamp=base_ts + i, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.05)
    producer.flush(DEADLINE_S)
    return state["delivered"], state["errors"]


def consume_kafka_python(bootstrap, specs):
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
        max_partition_fetch_bytes=4 * 1024 * 1024, fetch_max_bytes=16 * 1024 * 1024)
    parts = [TopicPartition(t, p) for (t, n) in specs for p in range(n)]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    ends = consumer.end_offsets(parts)
    out = []
    deadline = time.time() + DEADLINE_S
    while time.time() < deadline and any(consumer.position(tp) < ends[tp] for tp in parts):
        for tp, messages in consumer.poll(timeout_ms=500).items():
            for m in messages:
                if m.offset < ends[tp]:
                    emit(m.topic, m.partition, m.offset, m.key, m.value, m.headers, m.timestamp,
                         "create" if m.timestamp_type == 0 else "logappend", out)
    consumer.close()
    return out


def consume_confluent(bootstrap, specs):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
    # group.id is required by the library but unused: assign() joins no group and nothing is committed.
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": "unused-assign-only", "enable.auto.commit": False,
        "enable.auto.offset.store": False, "enable.partition.eof": True, "auto.offset.reset": "earliest",
        "fetch.message.max.bytes": 4 * 1024 * 1024})
    parts = [TopicPartition(t, p, OFFSET_BEGINNING) for (t, n) in specs for p in range(n)]
    ends = {}
    for tp in parts:
        _low, high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=10)
        ends[(tp.topic, tp.partition)] = high
    consumer.assign(parts)
    pending = {k for (k, high) in ends.items() if high > 0}
    out = []
    deadline = time.time() + DEADLINE_S
    while pending and time.time() < deadline:
        m = consumer.poll(0.5)
        if m is None:
            continue
        key = (m.topic(), m.partition())
        if m.error():
            continue  # partition EOF events; the offsets decide when we are done
        if m.offset() < ends[key]:
            ts_type, ts = m.timestamp()
            emit(m.topic(), m.partition(), m.offset(), m.key(), m.value(), m.headers(), ts,
                 "create" if ts_type == 1 else "logappend", out)
        if m.offset() + 1 >= ends[key]:
            pending.discard(key)
    consumer.close()
    return out


def parse_specs(args):
    specs = []
    for a in args:
        topic, _, n = a.partition(":")
        specs.append((topic, int(n or "1")))
    return specs


def main(argv):
    command = argv[1]
    if command == "produce":
        lib, bootstrap, topic, codec, count, prefix, base_ts = argv[2:9]
        fn = produce_kafka_python if lib == "kafka-python" else produce_confluent
        delivered, errors = fn(bootstrap, topic, codec, int(count), prefix, int(base_ts))
        print(json.dumps({"delivered": delivered, "errors": errors}))
    elif command == "consume":
        lib, bootstrap = argv[2:4]
        fn = consume_kafka_python if lib == "kafka-python" else consume_confluent
        sys.stdout.write("\n".join(fn(bootstrap, parse_specs(argv[4:]))) + "\n")
    elif command == "offsets-for-times":
        from kafka import KafkaConsumer, TopicPartition
        bootstrap, topic, partitions, ts = argv[2:6]
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
        found = consumer.offsets_for_times(
            {TopicPartition(topic, p): int(ts) for p in range(int(partitions))})
        print(json.dumps({str(tp.partition): (None if v is None else v.offset) for tp, v in found.items()}))
        consumer.close()
    else:
        raise SystemExit("unknown command " + command)


main(sys.argv)
