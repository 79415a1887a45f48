package dev.faultline.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class PeerClientTest {

    @Test
    void shouldAnswerAndHangUpWhenAPeerStallsItsBody() throws Exception {
        AtomicInteger hungUp = new AtomicInteger();
        List<Socket> open = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
                PeerClient client = new PeerClient(Duration.ofSeconds(1), Duration.ofMillis(200), "127.0.0.1:1")) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        synchronized (open) {
                            open.add(s);
                        }
                        InputStream in = s.getInputStream();
                        readHead(in);
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush(); // the other 99 bytes never come
                        Thread watcher = new Thread(() -> {
                            try {
                                if (in.read() < 0) {
                                    hungUp.incrementAndGet(); // the client closed its end
                                }
                            } catch (IOException e) {
                                hungUp.incrementAndGet();
                            }
                        });
                        watcher.setDaemon(true);
                        watcher.start();
                    }
                } catch (IOException e) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            HostInfo peer = new HostInfo("127.0.0.1", server.getLocalPort());
            for (int i = 0; i < 5; i++) {
                assertThat(client.get(peer, QueryApi.ALERTS_ACTIVE, Map.of()).join().status())
                        .as("the caller is answered, as unreachable").isZero();
            }

            // Nothing is left holding the stalled exchanges (before, a pool thread per query blocked for good).
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hungUp.get() < 5 && System.nanoTime() - end < 0) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            assertThat(hungUp.get()).as("stalled exchanges the client closed").isEqualTo(5);
        } finally {
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
    }
}
