package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A sink keeps delivering whatever one alert or one receiver does: bad input, hiccups, stalled or endless bodies. */
class HttpAlertSinkRobustnessTest {
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-21T10:05:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private AlertmanagerSink sink(URI base, int batch, Duration requestTimeout) {
        HttpSinkSettings settings = new HttpSinkSettings(base, 100, batch, Duration.ofSeconds(2), requestTimeout,
                Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(1), Duration.ofMinutes(20), Map.of());
        AlertmanagerSink sink = new AlertmanagerSink("alertmanager", settings, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        toClose.add(sink);
        return sink;
    }

    private double sent() {
        Counter c = registry.find("faultline.alert.sink.sent").counter();
        return c == null ? 0 : c.count();
    }

    private static Alert firing(String code) {
        return Alert.of(Map.of("alertname", "FaultlineTransientErrorSpike", "service", "vaultd", "code", code),
                Map.of("summary", "spike of " + code), START, null, Alert.FIRING);
    }

    @Test
    void shouldKeepDeliveringAfterAnAlertItCannotEncode() throws Exception {
        FakeHttpServer am = FakeHttpServer.started();
        toClose.add(am);
        AlertmanagerSink sink = sink(am.base(), 10, Duration.ofSeconds(5));
        // Parses, but startsAt + the firing TTL is beyond what Instant holds.
        Alert extreme = Alert.fromJson(("{\"schema\":\"faultline.alert/v1\",\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"X\",\"service\":\"s\"},"
                + "\"startsAt\":\"+1000000000-12-31T23:59:59Z\"}").getBytes(StandardCharsets.UTF_8));

        sink.offer(extreme);
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        sink.offer(firing("GOOD"));

        assertThat(am.next().body()).contains("GOOD");
        assertThat(registry.find("faultline.alert.sink.dropped").tag("reason", "rejected").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldRetryAGoodAlertThatMeetsATransientErrorWhileARejectedBatchIsResentAlertByAlert() throws Exception {
        FakeHttpServer am = FakeHttpServer.started().holdFirstRequest();
        toClose.add(am);
        AtomicInteger goodAlone = new AtomicInteger();
        am.respondBy(body -> {
            if (body.contains("\"code\":\"BAD\"")) {
                return 400;
            }
            return body.contains("\"code\":\"GOOD\"") && goodAlone.incrementAndGet() == 1 ? 503 : 200;
        });
        AlertmanagerSink sink = sink(am.base(), 10, Duration.ofSeconds(10));

        sink.offer(firing("WARMUP"));
        am.awaitFirst();
        sink.offer(firing("BAD")); // these two queue up behind the held request: one batch
        sink.offer(firing("GOOD"));
        am.release();
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();

        assertThat(goodAlone.get()).as("GOOD sent alone again after the 503").isEqualTo(2);
        assertThat(sent()).as("WARMUP and GOOD").isEqualTo(2);
    }

    @Test
    void shouldGiveUpOnAResponseBodyThatStallsAndTryAgain() throws Exception {
        // First connection: 503 and a body that never ends; then 200.
        RawReceiver receiver = new RawReceiver(connection -> connection == 1
                ? "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
        AlertmanagerSink sink = sink(receiver.base(), 1, Duration.ofMillis(300));

        sink.offer(firing("A"));

        Await.until("delivered on a later connection", () -> sent() == 1);
        assertThat(receiver.connections.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldNotReadAnEndlessResponseBody() throws Exception {
        RawReceiver receiver = new RawReceiver(connection -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                true);
        AlertmanagerSink sink = sink(receiver.base(), 1, Duration.ofSeconds(5));

        sink.offer(firing("A"));

        Await.until("delivered", () -> sent() == 1);
        assertThat(receiver.endless.await(30, TimeUnit.SECONDS)).as("the receiver stopped writing").isTrue();
        assertThat(receiver.hungUp.get()).as("because the sink hung up, not because it read 64 MiB").isTrue();
    }

    /** A loopback receiver that answers each connection's request with a raw head, then stalls or streams forever. */
    private final class RawReceiver {
        final AtomicInteger connections = new AtomicInteger();
        final CountDownLatch endless = new CountDownLatch(1);
        final AtomicBoolean hungUp = new AtomicBoolean();
        private final ServerSocket socket;

        RawReceiver(java.util.function.IntFunction<String> head, boolean stream) throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            toClose.add(socket);
            List<Socket> open = new ArrayList<>();
            toClose.add(() -> {
                synchronized (open) {
                    for (Socket s : open) {
                        s.close();
                    }
                }
            });
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        synchronized (open) {
                            open.add(s);
                        }
                        readRequest(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        out.write(head.apply(connections.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (stream) {
                            streamForever(out);
                        }
                    }
                } catch (IOException e) {
                    // the test is over
                }
            }, "raw-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        /** 64 KiB chunks up to 64 MiB, or until the client hangs up. */
        private void streamForever(OutputStream out) {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long written = 0; written < 64L * 1024 * 1024; written += chunk.length) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                hungUp.set(true);
            }
            endless.countDown();
        }

        private void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).strip());
                }
            }
            in.readNBytes(length);
        }
    }
}
