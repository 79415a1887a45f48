package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Faultline's own log lines that carry text from input (exception messages that may quote a
 * record, failing routes) escape it: no CR/LF forges a log line, no ESC reaches a terminal.
 */
class LogInjectionTest {
    private static final String HOSTILE = "boom\r\n12:00:00.000 INFO  [main] forged - all good\u001b[2J\u009b\u202e";

    @Test
    void forLogKeepsTheClassStackAndCausesButEscapesEveryMessage() {
        IllegalStateException cause = new IllegalStateException("cause " + HOSTILE);
        RuntimeException e = new RuntimeException("top " + HOSTILE, cause);
        e.addSuppressed(new IOException("suppressed\n" + HOSTILE));

        Throwable safe = SafeText.forLog(e);

        assertThat(safe.getMessage()).startsWith("java.lang.RuntimeException: top boom\\r\\n12:00:00.000 INFO");
        assertThat(safe.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(safe.getCause().getMessage()).startsWith("java.lang.IllegalStateException: cause boom\\r\\n");
        assertThat(safe.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
        assertThat(safe.getSuppressed()).hasSize(1);
        String rendered = ThrowableProxyUtil.asString(new ThrowableProxy(safe));
        assertThat(rendered).doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u202e")
                .doesNotContain("\r");
        for (String line : rendered.split("\n")) {
            assertThat(line).as("every rendered line is a header or a frame").doesNotStartWith("12:00:00.000");
        }
        assertThat(SafeText.forLog(null)).isNull();
    }

    @Test
    void forLogStopsAtACauseCycleDepthInsteadOfRecursingForever() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        Throwable safe = SafeText.forLog(a);
        int depth = 0;
        for (Throwable t = safe; t != null; t = t.getCause()) {
            depth++;
        }
        assertThat(depth).isBetween(2, 10);
    }

    @Test
    void opsServerLogsAFailingRouteWithTheErrorTextEscaped() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(OpsServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (OpsServer server = OpsServer.builder().port(0).build().start()) {
            server.mount("/api/boom", req -> {
                throw new IllegalStateException(HOSTILE);
            });
            assertThat(get(server.port(), "/api/boom%0d%0aforged")).startsWith("HTTP/1.1 404");
            assertThat(get(server.port(), "/api/boom")).startsWith("HTTP/1.1 500");
        } finally {
            logger.detachAppender(appender);
        }
        List<String> lines = new ArrayList<>();
        synchronized (appender) {
            appender.list.forEach(ev -> lines.add(ev.getFormattedMessage()
                    + (ev.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(ev.getThrowableProxy()))));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("route /api/boom failed").contains("boom\\r\\n"));
        for (String l : lines) {
            assertThat(l).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u009b")
                    .doesNotContain("\u202e");
        }
    }

    private static String get(int port, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
