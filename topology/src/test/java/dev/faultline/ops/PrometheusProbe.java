package dev.faultline.ops;

import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.event.UnreadableReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end helper for {@code scripts/e2e/prometheus.sh}: records a few Faultline metrics, serves
 * them from an {@link OpsServer} on 127.0.0.1, writes the bound port to a file, and keeps serving
 * (recording one more event per second) until killed or until its own time limit passes.
 *
 * <p>Usage: {@code PrometheusProbe <port or 0> <port file> [max seconds, default 300]}
 */
public final class PrometheusProbe {
    private PrometheusProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PrometheusProbe <port|0> <port-file> [max-seconds]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path portFile = Path.of(args[1]);
        long maxSeconds = args.length > 2 ? Long.parseLong(args[2]) : 300;

        FaultlineMetrics metrics = FaultlineMetrics.createPrometheus(Map.of("application", "faultline-e2e"));
        metrics.recordEvent(LogFormat.JSON);
        metrics.recordEvent(LogFormat.JSON);
        metrics.recordEvent(LogFormat.LOGFMT);
        metrics.recordDeadLetter(UnreadableReason.MALFORMED_JSON);
        metrics.recordUnknown();
        metrics.recordAlert("firing");
        metrics.recordCatalogReload(true);
        metrics.recordMatchLatency(40_000L);

        OpsServer server = OpsServer.builder().host("127.0.0.1").port(port).metrics(metrics)
                .readiness(Readiness::up).build().start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            server.close();
            metrics.close();
        }, "probe-shutdown"));

        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.US_ASCII);
        Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("serving Faultline metrics on http://" + server.address() + "/metrics");

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (System.nanoTime() - end < 0) {
            if (stop.await(1, TimeUnit.SECONDS)) {
                return;
            }
            metrics.recordEvent(LogFormat.TEXT);
        }
        System.out.println("time limit reached; exiting");
        System.exit(0);
    }
}
