package dev.faultline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-separated records as bytes, holding at most {@code maxBytes} of any one line: a
 * longer line is skipped to its end and reported by length, so a 10 MB line costs a read, not
 * 10 MB of heap. A trailing {@code \r} is dropped (CRLF files).
 */
final class BoundedLineReader {
    /** One line: its bytes, or (when {@code tooLong}) only its length. */
    record Line(byte[] bytes, long length, boolean tooLong) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private boolean eof;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or {@code null} at the end of the input. */
    Line next() throws IOException {
        byte[] line = new byte[Math.min(256, maxBytes)];
        int size = 0;
        long length = 0;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    return finish(line, size, length);
                }
            }
            sawAny = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            if (length + chunk <= maxBytes + 1L) {
                if (size + chunk > line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(maxBytes + 1L, Math.max(line.length * 2L, size + chunk)));
                }
                System.arraycopy(buffer, start, line, size, chunk);
                size += chunk;
            }
            length += chunk;
            if (pos < limit) {
                pos++; // consume '\n'
                return finish(line, size, length);
            }
        }
    }

    private Line finish(byte[] line, int size, long length) {
        if (length > 0 && size == length && line[size - 1] == '\r') {
            size--;
            length--;
        }
        if (length > maxBytes) {
            return new Line(null, length, true);
        }
        return new Line(Arrays.copyOf(line, size), length, false);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
