# A consumer-group member driven by the group end-to-end tests (support/group-clients.ts): a real
# kafka-python or confluent-kafka KafkaConsumer subscribed to topics, reporting what happens to it.
#
#   py-group-client.py <kafka-python|confluent-kafka> '<json options>'
#   py-group-client.py admin <bootstrap> <group>
#     kafka-python KafkaAdminClient list_consumer_groups, describe_consumer_groups and
#     list_consumer_group_offsets for one group, printed as one JSON object.
#
# options: bootstrap, group, topics, autoOffsetReset ("earliest"|"latest"), autoCommit (bool),
#   autoCommitIntervalMs, sessionTimeoutMs, heartbeatIntervalMs, strategy (assignor protocol names,
#   e.g. ["range"]), instanceId (group.instance.id, confluent-kafka only), stopAfter (process that
#   many messages, then commit if manual and close), clientId.
#
# stdout, one JSON object a line, flushed at once:
#   {"ev": "assigned", "parts": [[topic, partition], ...], "gen": generation|null, "member": id|null}
#   {"ev": "revoked", "parts": [...]}
#   {"ev": "msg", "t": topic, "p": partition, "o": offset, "v": value}
#   {"ev": "committed", "offsets": [[topic, partition, next offset], ...]}   (manual commits)
#   {"ev": "commit-failed", "err": "..."}
#   {"ev": "closed"}
# Manual commits (autoCommit false) commit, synchronously, the next offset of every partition a
# polled batch touched, after the batch is processed (emitted). "close" on stdin, stdin EOF and
# SIGTERM close the consumer gracefully (leave the group; auto-commit commits on close). A
# lifetime deadline bounds every run; the test also kills us by PID.

import json
import signal
import struct
import sys
import threading
import time

LIFETIME_S = 150

state = {"stop": False}


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def text(b):
    return None if b is None else b.decode("utf-8", "replace")


def watch_stdin():
    for line in sys.stdin:
        if line.strip() == "close":
            break
    state["stop"] = True


def on_sigterm(_signum, _frame):
    state["stop"] = True


def confluent_generation(consumer):
    # rd_kafka_consumer_group_metadata_write(): "CGMDv2:", generation id (int32, host order), group
    # id, member id (NUL-terminated), instance-id null flag [, instance id].
    raw = consumer.consumer_group_metadata()
    if not isinstance(raw, bytes) or not raw.startswith(b"CGMDv2:"):
        return None, None
    generation = struct.unpack("=i", raw[7:11])[0]
    rest = raw[11:]
    _group, _, rest = rest.partition(b"\0")
    member, _, _ = rest.partition(b"\0")
    return generation, member.decode()


def run_confluent(o):
    from confluent_kafka import Consumer, KafkaException, TopicPartition
    conf = {
        "bootstrap.servers": o["bootstrap"],
        "group.id": o["group"],
        "client.id": o.get("clientId", "py-group-confluent"),
        "auto.offset.reset": o.get("autoOffsetReset", "earliest"),
        "enable.auto.commit": bool(o.get("autoCommit", False)),
        "session.timeout.ms": o.get("sessionTimeoutMs", 6000),
        "heartbeat.interval.ms": o.get("heartbeatIntervalMs", 500),
        "partition.assignment.strategy": ",".join(o.get("strategy", ["range", "roundrobin"])),
    }
    if o.get("autoCommit"):
        conf["auto.commit.interval.ms"] = o.get("autoCommitIntervalMs", 5000)
    if o.get("instanceId"):
        conf["group.instance.id"] = o["instanceId"]
    consumer = Consumer(conf)

    def on_assign(c, parts):
        generation, member = confluent_generation(c)
        emit({"ev": "assigned", "parts": [[p.topic, p.partition] for p in parts], "gen": generation,
              "member": member})

    def on_revoke(_c, parts):
        emit({"ev": "revoked", "parts": [[p.topic, p.partition] for p in parts]})

    consumer.subscribe(o["topics"], on_assign=on_assign, on_revoke=on_revoke)
    remaining = o.get("stopAfter")
    deadline = time.time() + LIFETIME_S
    while not state["stop"] and time.time() < deadline and remaining != 0:
        batch = consumer.consume(num_messages=100 if remaining is None else min(100, remaining), timeout=0.2)
        touched = {}
        for m in batch:
            if m.error():
                sys.stderr.write("consume error: %s\n" % m.error())
                continue
            emit({"ev": "msg", "t": m.topic(), "p": m.partition(), "o": m.offset(), "v": text(m.value())})
            touched[(m.topic(), m.partition())] = m.offset() + 1
            if remaining is not None:
                remaining -= 1
        if touched and not o.get("autoCommit"):
            offsets = [TopicPartition(t, p, n) for ((t, p), n) in sorted(touched.items())]
            try:
                result = consumer.commit(offsets=offsets, asynchronous=False)
                failed = [str(tp.error) for tp in (result or []) if tp.error is not None]
                if failed:
                    emit({"ev": "commit-failed", "err": "; ".join(failed)})
                else:
                    emit({"ev": "committed", "offsets": [[t, p, n] for ((t, p), n) in sorted(touched.items())]})
            except KafkaException as e:
                emit({"ev": "commit-failed", "err": str(e)})
    consumer.close()
    return time.time() < deadline


def run_kafka_python(o):
    from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
    from kafka.errors import KafkaError
    from kafka.structs import OffsetAndMetadata
    assignors = {"range": RangePartitionAssignor, "roundrobin": RoundRobinPartitionAssignor}
    if o.get("instanceId"):
        raise SystemExit("kafka-python 2.0 has no group.instance.id")
    consumer = KafkaConsumer(
        bootstrap_servers=o["bootstrap"], group_id=o["group"],
        client_id=o.get("clientId", "py-group-kafka-python"),
        auto_offset_reset=o.get("autoOffsetReset", "earliest"),
        enable_auto_commit=bool(o.get("autoCommit", False)),
        auto_commit_interval_ms=o.get("autoCommitIntervalMs", 5000),
        session_timeout_ms=o.get("sessionTimeoutMs", 6000),
        heartbeat_interval_ms=o.get("heartbeatIntervalMs", 500),
        partition_assignment_strategy=[assignors[s] for s in o.get("strategy", ["range", "roundrobin"])],
        api_version_auto_timeout_ms=10000)

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            emit({"ev": "revoked", "parts": [[p.topic, p.partition] for p in revoked]})

        def on_partitions_assigned(self, assigned):
            generation = consumer._coordinator._generation
            emit({"ev": "assigned", "parts": [[p.topic, p.partition] for p in assigned],
                  "gen": generation.generation_id, "member": generation.member_id})

    consumer.subscribe(o["topics"], listener=Listener())
    remaining = o.get("stopAfter")
    deadline = time.time() + LIFETIME_S
    while not state["stop"] and time.time() < deadline and remaining != 0:
        polled = consumer.poll(timeout_ms=200, max_records=100 if remaining is None else min(100, remaining))
        touched = {}
        for tp, messages in polled.items():
            for m in messages:
                emit({"ev": "msg", "t": m.topic, "p": m.partition, "o": m.offset, "v": text(m.value)})
                touched[(m.topic, m.partition)] = m.offset + 1
                if remaining is not None:
                    remaining -= 1
        if touched and not o.get("autoCommit"):
            try:
                consumer.commit(offsets={TopicPartition(t, p): OffsetAndMetadata(n, "")
                                         for ((t, p), n) in touched.items()})
                emit({"ev": "committed", "offsets": [[t, p, n] for ((t, p), n) in sorted(touched.items())]})
            except KafkaError as e:
                emit({"ev": "commit-failed", "err": repr(e)})
    consumer.close()
    return time.time() < deadline


def admin_view(bootstrap, group):
    # kafka-python's KafkaAdminClient: ListGroups, DescribeGroups, OffsetFetch.
    from kafka.admin import KafkaAdminClient
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="py-group-admin",
                             api_version_auto_timeout_ms=10000)
    try:
        groups = [[g, t] for (g, t) in admin.list_consumer_groups()]
        described = []
        for d in admin.describe_consumer_groups([group]):
            members = []
            for m in d.members:
                assignment = m.member_assignment
                parts = []
                if assignment is not None and hasattr(assignment, "assignment"):
                    parts = sorted("%s:%d" % (t, p) for (t, ps) in assignment.assignment for p in ps)
                members.append({"memberId": m.member_id, "clientId": m.client_id, "parts": parts})
            described.append({"group": d.group, "state": d.state, "protocolType": d.protocol_type,
                              "protocol": d.protocol, "members": members})
        offsets = {"%s:%d" % (tp.topic, tp.partition): [om.offset, om.metadata]
                   for (tp, om) in admin.list_consumer_group_offsets(group).items()}
        print(json.dumps({"groups": groups, "described": described, "offsets": offsets}))
    finally:
        admin.close()


def main(argv):
    if argv[1] == "admin":
        admin_view(argv[2], argv[3])
        return
    lib, options = argv[1], json.loads(argv[2])
    signal.signal(signal.SIGTERM, on_sigterm)
    threading.Thread(target=watch_stdin, daemon=True).start()
    in_time = run_confluent(options) if lib == "confluent-kafka" else run_kafka_python(options)
    emit({"ev": "closed"})
    if not in_time:
        sys.stderr.write("lifetime deadline reached\n")
        raise SystemExit(3)


main(sys.argv)
