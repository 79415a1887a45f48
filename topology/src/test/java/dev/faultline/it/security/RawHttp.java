package dev.faultline.it.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, so the request target reaches the server byte for byte (no client
 * normalizes {@code ..} or re-encodes {@code %2e}).
 */
final class RawHttp {
    private RawHttp() {
    }

    /** Status code, headers and body as text. */
    record Response(int status, String head, String body) {
        String all() {
            return head + "\r\n\r\n" + body;
        }
    }

    static Response request(int port, String method, String target) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (InputStream in = s.getInputStream()) {
                in.transferTo(buf);
            }
            String raw = buf.toString(StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String head = split < 0 ? raw : raw.substring(0, split);
            String body = split < 0 ? "" : raw.substring(split + 4);
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            return new Response(status, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }
}
