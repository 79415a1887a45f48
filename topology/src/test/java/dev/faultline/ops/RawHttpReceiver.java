package dev.faultline.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A loopback HTTP peer that misbehaves below what {@code HttpServer} allows: it answers each connection's request
 * with a raw response head ({@code head} of the connection's number, from 1) and then either stalls (the body
 * never completes; {@link #hungUp} counts the clients that close such a connection) or streams a chunked body
 * without end ({@link #endless} opens when the client hangs up, or after 64 MiB). For clients' bounds on bodies.
 */
public final class RawHttpReceiver implements AutoCloseable {
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger hungUp = new AtomicInteger();
    public final CountDownLatch endless = new CountDownLatch(1);
    public final AtomicBoolean endlessCutByClient = new AtomicBoolean();
    private final ServerSocket socket;
    private final List<Socket> open = new ArrayList<>();

    public RawHttpReceiver(IntFunction<String> head, boolean stream) throws IOException {
        socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = socket.accept();
                    synchronized (open) {
                        open.add(s);
                    }
                    InputStream in = s.getInputStream();
                    readRequest(in);
                    OutputStream out = s.getOutputStream();
                    out.write(head.apply(connections.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread then = new Thread(stream ? () -> streamForever(out) : () -> awaitHangUp(in));
                    then.setDaemon(true);
                    then.start();
                }
            } catch (IOException e) {
                // closed
            }
        }, "raw-http-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    private void awaitHangUp(InputStream in) {
        try {
            if (in.read() < 0) {
                hungUp.incrementAndGet();
            }
        } catch (IOException e) {
            hungUp.incrementAndGet();
        }
    }

    private void streamForever(OutputStream out) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            for (long written = 0; written < 64L * 1024 * 1024; written += chunk.length) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            endlessCutByClient.set(true);
        }
        endless.countDown();
    }

    private static void readRequest(InputStream in) throws IOException {
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
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
