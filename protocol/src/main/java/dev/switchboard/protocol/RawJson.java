package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON value kept as the UTF-8 bytes it arrived in, and written into a frame as they are. A backend's RPC
 * answer {@code {"data": …}} reaches the client this way without a parse tree and a second serialization of
 * its data (measured: the tree and the re-encoding were about a sixth of the gateway's CPU per hook call).
 *
 * <p>Only {@link #fields} makes one, from a document a strict parser has just read whole (the same limits as
 * {@link Json#parse}: nesting, no trailing tokens, valid UTF-8 and escapes), so what a frame embeds is always
 * exactly one valid JSON value. Given to {@link Json#toTree} (a reply's data), it becomes a node that
 * serializes to these bytes.
 */
public final class RawJson implements JsonSerializable, SerializableString {

    private final byte[] utf8;

    private RawJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * The top-level fields of a JSON object document, each value as its bytes, in document order (a repeated
     * name: the last, as a parse tree keeps it).
     *
     * @throws ProtocolException {@code bad_json} when the document is not exactly one valid JSON object in UTF-8
     */
    public static Map<String, RawJson> fields(byte[] document) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(document)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_JSON, "not a JSON object");
            }
            Map<String, RawJson> fields = new LinkedHashMap<>(4);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int from = (int) p.currentTokenLocation().getByteOffset();
                if (value.isStructStart()) {
                    p.skipChildren(); // reads (and so checks) every token inside, builds nothing
                } else {
                    p.finishToken(); // a string is read lazily: its end is known once it is read
                }
                int to = (int) p.currentLocation().getByteOffset();
                if (from < 0 || to < from) { // a UTF-16 or UTF-32 document has no byte offsets: JSON is UTF-8 here
                    throw new ProtocolException(ErrorCode.BAD_JSON, "not UTF-8 JSON");
                }
                fields.put(name, new RawJson(Arrays.copyOfRange(document, from, to)));
            }
            if (p.nextToken() != null) {
                throw new ProtocolException(ErrorCode.BAD_JSON, "trailing content after the JSON object");
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as a parse tree, for the rare reader that needs one (an error answer's fields). */
    public JsonNode tree() {
        return Json.parse(utf8);
    }

    /** The value's bytes (a copy). */
    public byte[] bytes() {
        return utf8.clone();
    }

    @Override
    public String toString() {
        return getValue();
    }

    // --- written raw into a frame ---

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeRawValue(this);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer)
            throws IOException {
        gen.writeRawValue(this);
    }

    // --- SerializableString: how a generator copies the bytes (the unquoted forms are the ones used) ---

    @Override
    public String getValue() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return copy(asQuotedUTF8(), buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return copy(asQuotedChars(), buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        return copy(utf8, buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return copy(getValue().toCharArray(), buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] quoted = asQuotedUTF8();
        out.write(quoted);
        return quoted.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return put(asQuotedUTF8(), buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        return put(utf8, buffer);
    }

    /** Copies {@code from} into {@code to} at {@code offset}, or -1 when it does not fit (the generator then flushes). */
    private static int copy(byte[] from, byte[] to, int offset) {
        if (offset + from.length > to.length) {
            return -1;
        }
        System.arraycopy(from, 0, to, offset, from.length);
        return from.length;
    }

    private static int copy(char[] from, char[] to, int offset) {
        if (offset + from.length > to.length) {
            return -1;
        }
        System.arraycopy(from, 0, to, offset, from.length);
        return from.length;
    }

    private static int put(byte[] from, ByteBuffer to) {
        if (from.length > to.remaining()) {
            return -1;
        }
        to.put(from);
        return from.length;
    }
}
