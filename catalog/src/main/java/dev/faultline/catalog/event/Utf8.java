package dev.faultline.catalog.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
 *
 * <p>Hand-written because the JDK's decoder substitutes U+FFFD instead of failing, and because the JSON reader
 * checks only the string bodies that are not ASCII, in its own pass.
 */
final class Utf8 {

    /** Reads eight bytes at once so that ASCII, by far the common case, costs one test per word. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * @return {@code -1} when {@code bytes[offset, offset + length)} is valid UTF-8, otherwise the absolute index
     *         of the first byte of the first invalid or truncated sequence
     */
    static int firstInvalid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        int wordEnd = end - 8;
        while (i < end) {
            while (i <= wordEnd && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= end) {
                break;
            }
            int b0 = bytes[i];
            if (b0 >= 0) {
                i++;
                continue;
            }
            int lead = b0 & 0xFF;
            if (lead < 0xC2) {
                // 0x80..0xBF: a continuation byte without a lead; 0xC0/0xC1: always overlong
                return i;
            }
            if (lead < 0xE0) {
                if (i + 1 >= end || !isContinuation(bytes[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (lead < 0xF0) {
                if (i + 2 >= end) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                // E0 needs A0.. (else overlong); ED needs ..9F (else a UTF-16 surrogate)
                int min = lead == 0xE0 ? 0xA0 : 0x80;
                int max = lead == 0xED ? 0x9F : 0xBF;
                if (b1 < min || b1 > max || !isContinuation(bytes[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (lead < 0xF5) {
                if (i + 3 >= end) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                // F0 needs 90.. (else overlong); F4 needs ..8F (else above U+10FFFF)
                int min = lead == 0xF0 ? 0x90 : 0x80;
                int max = lead == 0xF4 ? 0x8F : 0xBF;
                if (b1 < min || b1 > max || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])) {
                    return i;
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
