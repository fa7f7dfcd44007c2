package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML (or JSON) document as a tree whose every node knows its line, so a configuration error can name the
 * file, the line and the key. Jackson's tree model drops locations; this reads the token stream instead.
 */
final class YamlTree {

    private YamlTree() {
    }

    /** A node of the document. */
    sealed interface Node permits Scalar, Sequence, Mapping {
        int line();
    }

    /** A scalar; {@code text} is null for YAML's null. */
    record Scalar(String text, int line) implements Node {
    }

    record Sequence(List<Node> items, int line) implements Node {
    }

    /** A mapping; each key keeps the line it is on. */
    record Mapping(Map<String, Entry> entries, int line) implements Node {
    }

    record Entry(String key, int line, Node value) {
    }

    /** Parses a YAML document ({@code json}: a JSON one); an empty document is an empty mapping. */
    static Mapping parse(Reader in, boolean json) throws IOException {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        try (JsonParser parser = factory.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Mapping(Map.of(), 1);
            }
            Node root = read(parser);
            if (!(root instanceof Mapping m)) {
                throw new ConfigException(List.of(new ConfigProblem(root.line(), "", "the file must be a mapping of sections")));
            }
            return m;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(List.of(new ConfigProblem(line, "", "not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage())));
        }
    }

    private static Node read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    if (entries.containsKey(key)) {
                        throw new ConfigException(List.of(new ConfigProblem(keyLine, key, "the key appears twice")));
                    }
                    entries.put(key, new Entry(key, keyLine, read(parser)));
                }
                return new Mapping(entries, line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                return new Sequence(items, line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line);
            }
            default -> {
                return new Scalar(parser.getText(), line);
            }
        }
    }
}
