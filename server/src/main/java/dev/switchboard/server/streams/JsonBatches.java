package dev.switchboard.server.streams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * JSON mode's message rules: an append must be JSON; a top-level array is flattened one level (each element a
 * message; an empty array is refused, except as a create's initial body); values are stored compact and
 * comma-separated, and a read returns them as one array. Numbers are kept exactly (big decimals and integers),
 * never rounded through a double.
 */
public final class JsonBatches {

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final byte[] EMPTY_ARRAY = "[]".getBytes(StandardCharsets.US_ASCII);

    /** Why a body was refused. */
    public static final class Refused extends Exception {
        private final boolean emptyArray;

        Refused(boolean emptyArray, String message) {
            super(message, null, false, false);
            this.emptyArray = emptyArray;
        }

        /** An empty array (rather than text that is not JSON). */
        public boolean emptyArray() {
            return emptyArray;
        }
    }

    private JsonBatches() {
    }

    /**
     * The stored form of a JSON body: its values, compact and comma-separated; empty for a create's {@code []}.
     *
     * @param create whether this is a create's initial body (where an empty array is allowed)
     */
    public static byte[] encode(byte[] body, boolean create) throws Refused {
        JsonNode parsed;
        try {
            parsed = EXACT.readTree(body);
        } catch (IOException e) {
            throw new Refused(false, "Invalid JSON");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new Refused(false, "Invalid JSON");
        }
        try {
            if (!parsed.isArray()) {
                return EXACT.writeValueAsBytes(parsed);
            }
            if (parsed.isEmpty()) {
                if (create) {
                    return new byte[0];
                }
                throw new Refused(true, "Empty arrays are not allowed");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
            for (JsonNode element : parsed) {
                if (out.size() > 0) {
                    out.write(',');
                }
                out.write(EXACT.writeValueAsBytes(element));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new Refused(false, "Invalid JSON");
        }
    }

    /** How many values a stored message holds. */
    public static int count(byte[] stored) {
        return values(stored).size();
    }

    /** The first {@code n} values of a stored message, in stored form. */
    public static byte[] prefix(byte[] stored, int n) {
        JsonNode values = values(stored);
        ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length);
        try {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(EXACT.writeValueAsBytes(values.get(i)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is re-encodable", e);
        }
        return out.toByteArray();
    }

    /** The response body of a read: every value of these messages in one array. */
    public static byte[] format(List<StreamMessage> messages) {
        if (messages.isEmpty()) {
            return EMPTY_ARRAY.clone();
        }
        int size = 2;
        for (StreamMessage m : messages) {
            size += m.data().length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        boolean first = true;
        for (StreamMessage m : messages) {
            if (m.data().length == 0) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(m.data());
            first = false;
        }
        out.write(']');
        return out.toByteArray();
    }

    private static JsonNode values(byte[] stored) {
        byte[] wrapped = new byte[stored.length + 2];
        wrapped[0] = '[';
        System.arraycopy(stored, 0, wrapped, 1, stored.length);
        wrapped[wrapped.length - 1] = ']';
        try {
            return EXACT.readTree(wrapped);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is valid", e);
        }
    }
}
