package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;

/**
 * A frame or body that writes itself field by field when {@link Json#bytes} serializes it, instead of being
 * built as a tree first (the hot frames: a publication, a reply, a hook call). It never carries type ids, so
 * the typed form is the plain one.
 */
public interface WrittenJson extends JsonSerializable {

    @Override
    default void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer)
            throws IOException {
        serialize(g, provider);
    }
}
