package dev.faultline.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.ops.RawHttpReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class PeerClientTest {

    @Test
    void shouldAnswerAndHangUpWhenAPeerStallsItsBody() throws Exception {
        try (RawHttpReceiver peer = new RawHttpReceiver(connection -> "HTTP/1.1 200 OK\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{", false); // 99 bytes never come
                PeerClient client = new PeerClient(Duration.ofSeconds(1), Duration.ofMillis(200), "127.0.0.1:1")) {
            HostInfo host = new HostInfo("127.0.0.1", peer.port());
            for (int i = 0; i < 5; i++) {
                assertThat(client.get(host, QueryApi.ALERTS_ACTIVE, Map.of()).join().status())
                        .as("the caller is answered, as unreachable").isZero();
            }

            // Nothing is left holding the stalled exchanges (before, a pool thread per query blocked for good).
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (peer.hungUp.get() < 5 && System.nanoTime() - end < 0) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            assertThat(peer.hungUp.get()).as("stalled exchanges the client closed").isEqualTo(5);
        }
    }
}
