package dev.switchboard.server.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.protocol.Channels;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One {@code --kafka-consume} route: which topics, how a record names its channel, what the publication's
 * data is. Spec: {@code TOPIC[,TOPIC]->CHANNEL-TEMPLATE[;data=json|string]}; the template's placeholders are
 * {@code {key}}, {@code {topic}}, {@code {partition}}, {@code {header:NAME}} and {@code {value.FIELD[.FIELD]}}
 * (a field of the JSON value). With {@code data=json} (the default) the value must be JSON.
 */
record ConsumeRoute(List<String> topics, List<Part> template, boolean jsonData, String spec) {

    /** A literal piece of the template, or a placeholder. */
    sealed interface Part permits Literal, Placeholder {
    }

    record Literal(String text) implements Part {
    }

    record Placeholder(String name) implements Part {
    }

    /** What a record becomes. */
    record Mapped(String channel, JsonNode data) {
    }

    static ConsumeRoute parse(String spec) {
        int arrow = spec.indexOf("->");
        if (arrow <= 0) {
            throw new IllegalArgumentException("--kafka-consume must be TOPIC->CHANNEL-TEMPLATE: " + spec);
        }
        List<String> topics = new ArrayList<>();
        for (String t : spec.substring(0, arrow).split(",")) {
            if (!t.isBlank()) {
                topics.add(t.trim());
            }
        }
        String rest = spec.substring(arrow + 2).trim();
        boolean json = true;
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            String option = rest.substring(semi + 1).trim();
            rest = rest.substring(0, semi).trim();
            switch (option) {
                case "data=json" -> json = true;
                case "data=string" -> json = false;
                default -> throw new IllegalArgumentException("unknown route option '" + option + "' (data=json|string): " + spec);
            }
        }
        if (topics.isEmpty() || rest.isEmpty()) {
            throw new IllegalArgumentException("--kafka-consume needs topics and a channel template: " + spec);
        }
        return new ConsumeRoute(List.copyOf(topics), compile(rest, spec), json, spec);
    }

    private static List<Part> compile(String template, String spec) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(new Literal(template.substring(i)));
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed { in channel template: " + spec);
            }
            if (open > i) {
                parts.add(new Literal(template.substring(i, open)));
            }
            String name = template.substring(open + 1, close);
            if (!(name.equals("key") || name.equals("topic") || name.equals("partition")
                    || name.startsWith("header:") || name.startsWith("value."))) {
                throw new IllegalArgumentException("unknown placeholder {" + name + "} (key, topic, partition,"
                        + " header:NAME, value.FIELD): " + spec);
            }
            parts.add(new Placeholder(name));
            i = close + 1;
        }
        return List.copyOf(parts);
    }

    boolean takes(String topic) {
        return topics.contains(topic);
    }

    /** The channel and data of {@code record}, or why it cannot be bridged. */
    Mapped map(ConsumerRecord<byte[], byte[]> record) throws Unbridgeable {
        JsonNode value = null;
        boolean needsJson = jsonData || template.stream().anyMatch(p -> p instanceof Placeholder ph && ph.name().startsWith("value."));
        if (needsJson) {
            value = parseValue(record.value());
        }
        StringBuilder channel = new StringBuilder();
        for (Part part : template) {
            switch (part) {
                case Literal l -> channel.append(l.text());
                case Placeholder p -> channel.append(resolve(p.name(), record, value));
            }
        }
        String name = channel.toString();
        try {
            Channels.validate(name);
        } catch (ProtocolException e) {
            throw new Unbridgeable("bad_channel", "'" + name + "': " + e.getMessage());
        }
        JsonNode data = jsonData ? value
                : record.value() == null ? NullNode.getInstance() : TextNode.valueOf(new String(record.value(), StandardCharsets.UTF_8));
        return new Mapped(name, data);
    }

    private static JsonNode parseValue(byte[] bytes) throws Unbridgeable {
        if (bytes == null) {
            return NullNode.getInstance(); // a tombstone: published as null
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new Unbridgeable("invalid_json", "empty value");
            }
            return node;
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new Unbridgeable("invalid_json", why == null ? e.toString() : firstLine(why));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String resolve(String name, ConsumerRecord<byte[], byte[]> record, JsonNode value) throws Unbridgeable {
        String v;
        if (name.equals("key")) {
            v = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        } else if (name.equals("topic")) {
            v = record.topic();
        } else if (name.equals("partition")) {
            v = Integer.toString(record.partition());
        } else if (name.startsWith("header:")) {
            Header h = record.headers().lastHeader(name.substring("header:".length()));
            v = h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        } else {
            JsonNode node = value;
            for (String field : name.substring("value.".length()).split("\\.")) {
                node = node == null ? null : node.get(field);
            }
            v = node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
        }
        if (v == null || v.isEmpty()) {
            throw new Unbridgeable("no_channel", "the record has no {" + name + "}");
        }
        return v;
    }
}
