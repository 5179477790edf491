/*
 * A librdkafka load generator for bench/broker.bench.ts, which compiles it (cc -O2 … -lrdkafka).
 * kcat is the everyday tool, but it reads its messages line by line from a file and formats
 * every message it consumes: on 2 cores that work, not the broker, bounds the kcat figures. This
 * program does only what a producing or consuming application must do with librdkafka.
 *
 *   rdkafka-perf produce <bootstrap> <topic> <size> <count> <acks> <codec>
 *   rdkafka-perf consume <bootstrap> <topic> <count>
 *
 * produce: <count> messages of <size> bytes without key, from a pool of distinct random base64
 * payloads (so lz4 cannot shrink them much), with kcat's settings in the bench (linger.ms=5,
 * batch.size=1000000); exits 1 when a delivery failed. The payloads are passed without a copy
 * (no RD_KAFKA_MSG_F_COPY): they live until exit.
 * consume: partition 0 from offset 0 until <count> messages arrived (fetch.max.bytes 50 MiB,
 * max.partition.fetch.bytes 8 MiB, as kcat is run); exits 1 on an error or after 120 s.
 * Both print on stdout the seconds from the first message produced (after the topic's metadata
 * arrived) or the start of consumption to the last delivery report or message.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
  char err[256];
  if (rd_kafka_conf_set(conf, name, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "%s=%s: %s\n", name, value, err);
    exit(2);
  }
}

static long failed = 0;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  (void)opaque;
  if (m->err && failed++ == 0) fprintf(stderr, "delivery failed: %s\n", rd_kafka_err2str(m->err));
}

/* Distinct payloads covering at least 4 MiB (and 16 of them), random base64. */
static char **payloads(size_t size, size_t *n) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t count = (4u << 20) / size;
  if (count < 16) count = 16;
  char **pool = malloc(count * sizeof *pool);
  unsigned long long x = 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < count; i++) {
    pool[i] = malloc(size);
    for (size_t j = 0; j < size; j++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      pool[i][j] = alphabet[x & 63];
    }
  }
  *n = count;
  return pool;
}

/* The topic's metadata first (this also auto-creates it), as kcat does: otherwise librdkafka only
 * looks an unknown topic up on its 1 s timer. */
static rd_kafka_topic_t *topic_with_metadata(rd_kafka_t *rk, const char *topic) {
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
  const struct rd_kafka_metadata *md;
  rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
  if (e) {
    fprintf(stderr, "metadata: %s\n", rd_kafka_err2str(e));
    return NULL;
  }
  rd_kafka_metadata_destroy(md);
  return rkt;
}

static int produce(const char *bootstrap, const char *topic, size_t size, long count, const char *acks,
                   const char *codec) {
  char err[256];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "acks", acks);
  set(conf, "compression.codec", codec);
  set(conf, "linger.ms", "5");
  set(conf, "batch.size", "1000000");
  set(conf, "queue.buffering.max.messages", "1000000");
  set(conf, "queue.buffering.max.kbytes", "1048576");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", err);
    return 2;
  }
  size_t n;
  char **pool = payloads(size, &n);
  rd_kafka_topic_t *rkt = topic_with_metadata(rk, topic);
  if (!rkt) return 1;
  double start = now();
  rd_kafka_resp_err_t e;
  for (long i = 0; i < count;) {
    if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, 0, pool[i % n], size, NULL, 0, NULL) == -1) {
      e = rd_kafka_last_error();
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 1);
        continue;
      }
      fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e));
      return 1;
    }
    i++;
    rd_kafka_poll(rk, 0);
  }
  if (rd_kafka_flush(rk, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fprintf(stderr, "flush timed out with %d messages outstanding\n", rd_kafka_outq_len(rk));
    return 1;
  }
  printf("%.6f\n", now() - start);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  return failed ? 1 : 0;
}

struct tally {
  long received;
  long failed;
};

static void on_message(rd_kafka_message_t *m, void *opaque) {
  struct tally *tally = opaque;
  if (!m->err)
    tally->received++;
  else if (tally->failed++ == 0)
    fprintf(stderr, "message error: %s\n", rd_kafka_message_errstr(m));
}

static int consume(const char *bootstrap, const char *topic, long count) {
  char err[256];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "fetch.max.bytes", "52428800");
  set(conf, "max.partition.fetch.bytes", "8388608");
  set(conf, "enable.partition.eof", "false");
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", err);
    return 2;
  }
  rd_kafka_topic_t *rkt = topic_with_metadata(rk, topic);
  if (!rkt) return 1;
  double start = now();
  /* Offset 0 (the bench's topics start there) rather than OFFSET_BEGINNING: the latter makes
   * librdkafka look the offset up first, and at times that lookup waits 500 ms for the partition's
   * leader connection (seen with debug=fetch,protocol: a 500 ms gap between the Metadata response
   * and the ListOffsets request in ~1 of 12 runs), which would be timed as consumption. */
  if (rd_kafka_consume_start(rkt, 0, 0) == -1) {
    fprintf(stderr, "consume_start: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
    return 1;
  }
  struct tally tally = {0, 0};
  while (tally.received < count && tally.failed == 0) {
    if (now() - start > 120) {
      fprintf(stderr, "timed out after %ld of %ld messages\n", tally.received, count);
      tally.failed = 1;
      break;
    }
    /* Serves every message already queued; waits (up to 1 s) only when none is. */
    if (rd_kafka_consume_callback(rkt, 0, 1000, on_message, &tally) == -1) {
      fprintf(stderr, "consume: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
      tally.failed = 1;
    }
  }
  int status = tally.failed ? 1 : 0;
  double seconds = now() - start;
  rd_kafka_consume_stop(rkt, 0);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  if (status == 0) printf("%.6f\n", seconds);
  return status;
}

int main(int argc, char **argv) {
  if (argc == 8 && strcmp(argv[1], "produce") == 0)
    return produce(argv[2], argv[3], (size_t)atol(argv[4]), atol(argv[5]), argv[6], argv[7]);
  if (argc == 5 && strcmp(argv[1], "consume") == 0) return consume(argv[2], argv[3], atol(argv[4]));
  fprintf(stderr,
          "usage: rdkafka-perf produce <bootstrap> <topic> <size> <count> <acks> <codec>\n"
          "       rdkafka-perf consume <bootstrap> <topic> <count>\n");
  return 2;
}
