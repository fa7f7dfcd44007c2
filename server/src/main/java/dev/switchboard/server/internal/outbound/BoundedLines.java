package dev.switchboard.server.internal.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a streamed HTTP body (NDJSON, SSE), each at most {@code maxLine} bytes: a longer one fails as
 * {@link CallFailure.Kind#TOO_LARGE} instead of growing a buffer without bound.
 */
public final class BoundedLines {

    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;

    public BoundedLines(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** The next line without its terminator ({@code \n} or {@code \r\n}), or {@code null} at the end. */
    public String next() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line == null ? null : text(line);
                }
            }
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            if (line == null) {
                line = new ByteArrayOutputStream(Math.max(64, pos - start));
            }
            line.write(buffer, start, pos - start);
            if (line.size() > maxLine) {
                throw new CallFailure(CallFailure.Kind.TOO_LARGE, "a streamed line is longer than " + maxLine + " bytes");
            }
            if (pos < limit) {
                pos++; // the \n
                return text(line);
            }
        }
    }

    private static String text(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
