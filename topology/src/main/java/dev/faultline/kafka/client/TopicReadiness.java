package dev.faultline.kafka.client;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a topic just created can be written to safely. A created topic is in the controller's metadata, and so in
 * clients' metadata, a moment before its leaders serve it. An idempotent producer that writes in that moment can
 * have its first batch refused ({@code NOT_LEADER_OR_FOLLOWER}) while later batches land; the first batch's retry
 * then fails on its sequence number until the delivery timeout. Seen in this project's tests: two minutes stalled,
 * and the first batch's records never written.
 */
public final class TopicReadiness {

    private TopicReadiness() {
    }

    /**
     * Waits until every partition of {@code topics} has a leader that answers a ListOffsets (served by the leader
     * itself, as a produce is).
     *
     * @throws IllegalStateException when a partition still has no serving leader at the deadline, or on a
     *                               non-retriable error
     * @throws TimeoutException      when the admin client itself does not answer within {@code timeout}
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                for (TopicDescription d : admin.describeTopics(topics).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                    }
                }
                admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " have no serving leader: "
                            + e.getCause(), e.getCause());
                }
            }
            Thread.sleep(50); // the pause of a poll bounded by the deadline above
        }
    }
}
