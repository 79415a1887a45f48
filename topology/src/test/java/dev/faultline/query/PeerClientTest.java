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

    @Test
    void shouldTreatAPeerThatDiesHalfWayThroughItsAnswerAsUnreachableNotAsItsAnswer() throws Exception {
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
                PeerClient client = new PeerClient(Duration.ofSeconds(2), Duration.ofSeconds(5), "127.0.0.1:1")) {
            Thread dying = new Thread(() -> {
                try (java.net.Socket s = peer.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    int matched = 0;
                    while (matched < 4) { // the end of the request's head
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                    }
                    // Promises 100 bytes, sends 19, and the process dies.
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"service\":\"a\",\"win")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // the test is over
                }
            }, "dying-peer");
            dying.setDaemon(true);
            dying.start();

            PeerClient.Answer answer = client.get(new HostInfo("127.0.0.1", peer.getLocalPort()), QueryApi.TOP_CODES,
                    Map.of("service", "a")).join();

            // QueryApi passes a peer's status and body on: half a document with a 200 is not an answer.
            assertThat(answer.status()).as("a truncated answer is no answer (0: unreachable)").isZero();
        }
    }
}
