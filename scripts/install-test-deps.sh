#!/bin/sh
# Installs the real Kafka clients the end-to-end tests drive, from Debian's packages, when they are
# missing: kcat (librdkafka), kafka-python and confluent-kafka (with the compression libraries
# kafka-python needs), and librdkafka-dev with a C compiler for librdkafka's mock cluster (a second
# Kafka implementation the client is tested against). Needs root (CI runs as root); prints what to
# do otherwise.
set -e
packages="kcat python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard librdkafka-dev gcc libc6-dev"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "nagare: the end-to-end tests need:$missing — install them with: sudo apt-get install -y$missing" >&2
  exit 0
fi
echo "nagare: installing test clients:$missing" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
