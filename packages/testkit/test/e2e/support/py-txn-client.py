# confluent-kafka (librdkafka) idempotent and transactional clients driven by the transaction
# end-to-end tests (support/txn-clients.ts).
#
#   py-txn-client.py idempotent <bootstrap> <topic> <partition> <sends> <per-send> <prefix>
#     enable.idempotence producer: `sends` rounds of `per-send` messages "{prefix}-{i}" to one
#     partition, flushed after each round (one Produce request a round); prints
#     {"delivered": [offset of message i, ...], "errors": [...]}.
#   py-txn-client.py producer '<json options>'
#     a transactional producer scripted over stdin, one JSON command a line, one JSON reply a line:
#       {"op": "init"} {"op": "begin"} {"op": "commit"} {"op": "abort"} {"op": "close"}
#       {"op": "send", "messages": [{"t": topic, "p": partition, "v": value}, ...]}   (flushed)
#     reply {"ok": true, ...} ("send": "offsets" per message, "errors" of failed deliveries) or
#     {"ok": false, "name": KafkaError name, "code": n, "fatal": b, "retriable": b, "abortable": b,
#     "str": text}. options: bootstrap, transactionalId, transactionTimeoutMs, clientId.
#   py-txn-client.py consume <bootstrap> <read_committed|read_uncommitted> <topic:partitions>...
#     assigns every partition from the beginning and reads until each reports end of partition
#     (librdkafka reports it at the last stable offset under read_committed, at the high
#     watermark otherwise); prints one JSON line per message {"t","p","o","v"} and a last line
#     {"eof": {"topic:partition": offset}}.
#   py-txn-client.py process '<json options>'
#     consume-transform-produce: reads `input` (read_committed) in group `group`, writes
#     "out:{value}" to the same partition of `output` and commits the consumed offsets inside the
#     transaction (send_offsets_to_transaction), `batch` messages per transaction. Events on stdout:
#     {"ev": "ready"} after init_transactions, {"ev": "committed", "txn": n, "values": [...]},
#     {"ev": "paused", "txn": n} when transaction `pauseAt` has sent its output and its offsets
#     but is not committed (the process then waits to be killed), {"ev": "error", ...}.
#     "close" on stdin or stdin EOF ends it.
#
# Every loop is bounded by a deadline; the tests also kill us by PID.

import json
import sys
import threading
import time

LIFETIME_S = 150
OP_TIMEOUT_S = 30


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def text(b):
    return None if b is None else b.decode("utf-8", "replace")


def error_reply(e):
    from confluent_kafka import KafkaError
    err = e.args[0] if e.args and isinstance(e.args[0], KafkaError) else None
    if err is None:
        return {"ok": False, "name": type(e).__name__, "code": None, "fatal": False, "retriable": False,
                "abortable": False, "str": str(e)}
    return {"ok": False, "name": err.name(), "code": err.code(), "fatal": err.fatal(),
            "retriable": err.retriable(), "abortable": err.txn_requires_abort(), "str": err.str()}


def idempotent(bootstrap, topic, partition, sends, per_send, prefix):
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 0,
                         "retry.backoff.ms": 100, "message.timeout.ms": 60000})
    offsets = [None] * (sends * per_send)
    errors = []

    def report(i):
        def on_delivery(err, msg):
            if err is not None:
                errors.append("%d: %s" % (i, err))
            else:
                offsets[i] = msg.offset()
        return on_delivery

    for s in range(sends):
        for j in range(per_send):
            i = s * per_send + j
            producer.produce(topic, value=("%s-%d" % (prefix, i)).encode(), partition=partition,
                             on_delivery=report(i))
        left = producer.flush(OP_TIMEOUT_S)
        if left:
            errors.append("%d messages still undelivered after %d s" % (left, OP_TIMEOUT_S))
            break
    print(json.dumps({"delivered": offsets, "errors": errors[:5]}))


def producer_loop(o):
    from confluent_kafka import KafkaException, Producer
    conf = {"bootstrap.servers": o["bootstrap"], "transactional.id": o["transactionalId"],
            "client.id": o.get("clientId", "py-txn-producer"), "linger.ms": 0}
    if "transactionTimeoutMs" in o:
        conf["transaction.timeout.ms"] = o["transactionTimeoutMs"]
        conf["message.timeout.ms"] = o["transactionTimeoutMs"]
    producer = Producer(conf)
    deadline = time.time() + LIFETIME_S
    for line in sys.stdin:
        if time.time() > deadline:
            break
        if not line.strip():
            continue
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "close":
            emit({"ok": True})
            break
        try:
            if op == "init":
                producer.init_transactions(OP_TIMEOUT_S)
                emit({"ok": True})
            elif op == "begin":
                producer.begin_transaction()
                emit({"ok": True})
            elif op == "send":
                offsets = [None] * len(cmd["messages"])
                errors = []

                def report(i):
                    def on_delivery(err, msg):
                        if err is not None:
                            errors.append({"i": i, "name": err.name(), "str": err.str()})
                        else:
                            offsets[i] = msg.offset()
                    return on_delivery

                for i, m in enumerate(cmd["messages"]):
                    producer.produce(m["t"], value=m["v"].encode(), partition=m["p"], on_delivery=report(i))
                left = producer.flush(OP_TIMEOUT_S)
                emit({"ok": left == 0 and not errors, "offsets": offsets, "errors": errors,
                      "undelivered": left})
            elif op == "commit":
                producer.commit_transaction(OP_TIMEOUT_S)
                emit({"ok": True})
            elif op == "abort":
                producer.abort_transaction(OP_TIMEOUT_S)
                emit({"ok": True})
            else:
                emit({"ok": False, "name": "UNKNOWN_OP", "str": op})
        except KafkaException as e:
            emit(error_reply(e))


def consume(bootstrap, isolation, specs):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition
    # group.id is required by the library but unused: assign() joins no group, nothing is committed.
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": "unused-assign-only", "enable.auto.commit": False,
        "enable.auto.offset.store": False, "enable.partition.eof": True,
        "isolation.level": isolation})
    parts = [TopicPartition(t, p, OFFSET_BEGINNING) for (t, n) in specs for p in range(n)]
    consumer.assign(parts)
    pending = {"%s:%d" % (tp.topic, tp.partition) for tp in parts}
    eof = {}
    deadline = time.time() + 60
    while pending and time.time() < deadline:
        m = consumer.poll(0.5)
        if m is None:
            continue
        key = "%s:%d" % (m.topic(), m.partition())
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                eof[key] = m.offset()
                pending.discard(key)
            else:
                sys.stderr.write("consume error: %s\n" % m.error())
            continue
        emit({"t": m.topic(), "p": m.partition(), "o": m.offset(), "v": text(m.value())})
    consumer.close()
    if pending:
        sys.stderr.write("no end of partition for %s within the deadline\n" % sorted(pending))
        raise SystemExit(3)
    emit({"eof": eof})


def process(o):
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
    stop = {"now": False}

    def watch_stdin():
        for line in sys.stdin:
            if line.strip() == "close":
                break
        stop["now"] = True

    threading.Thread(target=watch_stdin, daemon=True).start()
    producer = Producer({"bootstrap.servers": o["bootstrap"], "transactional.id": o["transactionalId"],
                         "client.id": "py-txn-processor", "linger.ms": 0})
    consumer = Consumer({
        "bootstrap.servers": o["bootstrap"], "group.id": o["group"], "client.id": "py-txn-processor",
        "enable.auto.commit": False, "isolation.level": "read_committed",
        "auto.offset.reset": "earliest", "session.timeout.ms": o.get("sessionTimeoutMs", 3000),
        "heartbeat.interval.ms": 500})
    deadline = time.time() + LIFETIME_S
    try:
        producer.init_transactions(OP_TIMEOUT_S)
        emit({"ev": "ready"})
        consumer.subscribe([o["input"]])
        txn = 0
        while not stop["now"] and time.time() < deadline:
            batch = [m for m in consumer.consume(num_messages=o["batch"], timeout=0.2) if not m.error()]
            if not batch:
                continue
            producer.begin_transaction()
            next_offsets = {}
            for m in batch:
                producer.produce(o["output"], value=b"out:" + m.value(), partition=m.partition())
                next_offsets[m.partition()] = m.offset() + 1
            producer.send_offsets_to_transaction(
                [TopicPartition(o["input"], p, n) for (p, n) in sorted(next_offsets.items())],
                consumer.consumer_group_metadata(), OP_TIMEOUT_S)
            if txn == o.get("pauseAt"):
                producer.flush(OP_TIMEOUT_S)
                emit({"ev": "paused", "txn": txn, "values": [text(m.value()) for m in batch]})
                while time.time() < deadline:
                    time.sleep(0.1)
                break
            producer.commit_transaction(OP_TIMEOUT_S)
            emit({"ev": "committed", "txn": txn, "values": [text(m.value()) for m in batch]})
            txn += 1
    except KafkaException as e:
        emit(dict(error_reply(e), ev="error"))
        raise SystemExit(2)
    finally:
        consumer.close()


def parse_specs(args):
    specs = []
    for a in args:
        topic, _, n = a.partition(":")
        specs.append((topic, int(n or "1")))
    return specs


def main(argv):
    command = argv[1]
    if command == "idempotent":
        bootstrap, topic, partition, sends, per_send, prefix = argv[2:8]
        idempotent(bootstrap, topic, int(partition), int(sends), int(per_send), prefix)
    elif command == "producer":
        producer_loop(json.loads(argv[2]))
    elif command == "consume":
        consume(argv[2], argv[3], parse_specs(argv[4:]))
    elif command == "process":
        process(json.loads(argv[2]))
    else:
        raise SystemExit("unknown command " + command)


main(sys.argv)
