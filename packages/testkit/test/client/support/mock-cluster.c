/* librdkafka's built-in mock Kafka cluster as a standalone process: a second Kafka
 * implementation, not ours, for the client's interop tests. Prints the bootstrap address on the
 * first line, creates the topics named as "name:partitions" arguments, and runs until stdin
 * closes (the test closes it, or dies). Build: cc mock-cluster.c -lrdkafka
 *
 * Partition p's leader is broker p % 3 + 1, so with up to 3 partitions no broker leads two of a
 * topic: the mock writes ListOffsets v4+'s leader epoch as 8 bytes, which garbles every partition
 * after the first in one answer. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, 3);
  if (!cluster) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    return 1;
  }
  for (int i = 1; i < argc; i++) {
    char *colon = strrchr(argv[i], ':');
    if (!colon) continue;
    *colon = '\0';
    int partitions = atoi(colon + 1);
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, argv[i], partitions, 1);
    for (int p = 0; !err && p < partitions; p++)
      err = rd_kafka_mock_partition_set_leader(cluster, argv[i], p, p % 3 + 1);
    if (err) {
      fprintf(stderr, "topic %s: %s\n", argv[i], rd_kafka_err2str(err));
      return 1;
    }
  }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);
  while (getchar() != EOF) {
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
