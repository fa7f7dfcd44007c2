package dev.switchboard.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileTest {

    private static ConfigFile yaml(String text) {
        return ConfigFile.parse("sb.yaml", text, false);
    }

    private static List<String> problems(String text) {
        return yaml(text).problems().stream().map(p -> p.describe("sb.yaml")).toList();
    }

    @Test
    void sectionsMirrorTheOptionsAndFlagsBeatVariablesBeatTheFile() {
        ConfigFile file = yaml("""
                server: {port: 9001, endpoints: [/ws, "/public:anonymous"]}
                timeouts: {pingInterval: 7s, idleTimeout: 90s}
                limits: {maxMessageSize: 1000, rateLimit: 50}
                channels: {presence: ["chat:*", "room:*"]}
                kafka: {consume: ["a,b->c:{key}", "d->e"]}
                log: {accessHttp: false}
                hooks:
                  forwardHeaders: cookie,authorization
                """);
        GatewayConfig config = ConfigSources.resolve(new String[] {"--max-message-size", "2000"},
                Map.of("SWITCHBOARD_PING_INTERVAL", "9s", "SWITCHBOARD_RATE_LIMIT", "5"), file);
        assertEquals(9001, config.port);                             // file
        assertEquals(Duration.ofSeconds(9), config.pingInterval);    // variable over file
        assertEquals(Duration.ofSeconds(90), config.idleTimeout);    // file
        assertEquals(5.0, config.rateLimit);                         // variable over file
        assertEquals(2000, config.maxMessageSize);                   // flag over file
        assertEquals(List.of("/ws", "/public:anonymous"), config.endpoints);
        assertEquals("chat:*,room:*", config.presenceChannels);      // a list for a comma-separated option
        assertEquals(List.of("a,b->c:{key}", "d->e"), config.kafka.consume); // commas inside values survive
        assertFalse(config.accessLogHttp);
        assertEquals(List.of("cookie", "authorization"), config.hookForwardHeaders);
        assertEquals(Duration.ofSeconds(10), config.drainTimeout);  // default
    }

    @Test
    void everyProblemIsReportedWithItsLineAndNothingIsApplied() {
        String text = """
                server:
                  port: abc
                  prot: 9000
                timeouts:
                  pingInterval: soon
                limits: 5
                kafkaa: {}
                log: {accessHttp: maybe}
                """;
        List<String> found = problems(text);
        assertEquals(List.of(
                "sb.yaml:2: server.port: 'abc' is not an int",
                "sb.yaml:3: server.prot: unknown key (known in server: host, port, transport, ioThreads, nodeId, dev,"
                        + " endpoints, demoHandlers, allowedOrigins, secureCookies, permessageDeflate, sse, trustedProxies)",
                "sb.yaml:5: timeouts.pingInterval: 'soon' is not a duration (examples: 500ms, 25s, 5m)",
                "sb.yaml:6: limits: must be a mapping of keys",
                "sb.yaml:7: kafkaa: unknown section (known: server, tls, auth, api, channels, history, limits, timeouts,"
                        + " engine, redis, hooks, webhooks, llm, streams, kafka, pusher, admin, otel, log, namespaces)",
                "sb.yaml:8: log.accessHttp: 'maybe' is not true or false"), found);
        GatewayConfig config = new GatewayConfig();
        ConfigException e = assertThrows(ConfigException.class, () -> yaml(text).applyTo(config, o -> false));
        assertEquals(6, e.problems().size());
        assertEquals(8080, config.port, "nothing is applied from a file with problems");
    }

    @Test
    void malformedYamlAndDuplicateKeysNameTheirLine() {
        ConfigException bad = assertThrows(ConfigException.class, () -> yaml("server:\n  port: [1,\n"));
        assertTrue(bad.getMessage().startsWith("sb.yaml:"), bad.getMessage());
        ConfigException twice = assertThrows(ConfigException.class, () -> yaml("server:\n  port: 1\n  port: 2\n"));
        assertEquals("sb.yaml:3: port: the key appears twice", twice.getMessage());
        assertThrows(ConfigException.class, () -> yaml("- just\n- a list\n"));
    }

    @Test
    void jsonIsReadTooAndAnEmptyValueKeepsTheDefault() {
        ConfigFile json = ConfigFile.parse("sb.json", "{\"server\": {\"port\": 9100}, \"engine\": {\"type\": \"redis\"}}", true);
        GatewayConfig config = ConfigSources.resolve(new String[0], Map.of(), json);
        assertEquals(9100, config.port);
        assertEquals("redis", config.engine);
        GatewayConfig unset = ConfigSources.resolve(new String[0], Map.of(), yaml("server:\n  host:\n  port: 1\n"));
        assertNull(unset.host);
    }

    @Test
    void theOlderPropertiesFormatStillWorksAndReportsUnknownKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sb.properties");
        Files.writeString(file, "port=9001\nping-interval=7s\n");
        GatewayConfig config = ConfigSources.resolve(new String[0], Map.of(), ConfigFile.read(file));
        assertEquals(9001, config.port);
        assertEquals(Duration.ofSeconds(7), config.pingInterval);
        Files.writeString(file, "prot=1\n");
        assertEquals("prot: unknown option", ConfigFile.read(file).problems().get(0).describe(null));
    }

    @Test
    void namespacesAreReadWithTheirOwnChecks() {
        ConfigFile file = yaml("""
                namespaces:
                  chat: {history: {size: 1000, ttl: 10m}, presence: true, joinLeave: false, subscribe: ["*"]}
                  news:
                    clientPublish: false
                    recover: false
                    anonymousSubscribe: ["*"]
                """);
        assertEquals(List.of(), file.problems());
        Namespace chat = file.namespaces().get("chat");
        assertEquals(1000, chat.historySize());
        assertEquals(Duration.ofMinutes(10), chat.historyTtl());
        assertEquals(Boolean.TRUE, chat.presence());
        assertEquals(Boolean.FALSE, chat.joinLeave());
        assertEquals(List.of("chat:*"), chat.absolute(chat.subscribe()));
        assertEquals(Boolean.FALSE, file.namespaces().get("news").clientPublish());
        assertTrue(chat.contains("chat:room") && !chat.contains("chatter:room") && !chat.contains("chat"));

        List<String> bad = problems("""
                namespaces:
                  chat:
                    history: {size: -1, ttl: 10x, keep: 1}
                    presense: true
                  "a b": {}
                  news: {clientPublish: maybe}
                """);
        assertEquals(6, bad.size(), bad.toString());
        assertTrue(bad.contains("sb.yaml:4: namespaces.chat.presense: unknown namespace option (known: anonymousSubscribe,"
                + " clientPublish, history, joinLeave, presence, publish, recover, subscribe)"), bad.toString());
        assertTrue(bad.contains("sb.yaml:3: namespaces.chat.history.ttl: not a duration (e.g. 30s, 10m, 2h): '10x' is not"
                + " a duration (examples: 500ms, 25s, 5m)"), bad.toString());
    }

    @Test
    void pusherAppsAreStringsOrMappingsWithTheirOwnSettings() {
        ConfigFile file = yaml("""
                pusher:
                  clientEvents: true
                  apps:
                    - "1:key-one:secret-one"
                    - {id: "2", key: key-two, secret: secret-two, clientEvents: false, webhookUrl: "http://127.0.0.1:9/hook"}
                """);
        assertEquals(List.of(), file.problems());
        GatewayConfig config = ConfigSources.resolve(new String[0], Map.of(), file);
        assertEquals(List.of("1:key-one:secret-one"), config.pusherApps);
        assertTrue(config.pusherClientEvents);
        assertEquals(1, config.pusherAppSettings.size());
        PusherApp two = config.pusherAppSettings.get(0);
        assertEquals("key-two", two.key());
        assertEquals(Boolean.FALSE, two.clientEvents());
        assertEquals("http://127.0.0.1:9/hook", two.webhookUrl().toString());
        List<String> bad = problems("""
                pusher:
                  apps:
                    - {id: "3", key: k, webhookUrl: "ftp://x", colour: red}
                """);
        assertEquals(3, bad.size(), bad.toString());
        assertTrue(bad.contains("sb.yaml:3: pusher.apps[0].secret: is required"), bad.toString());
    }

    @Test
    void everyOptionHasExactlyOnePlaceInTheLayout() {
        Set<String> placed = new HashSet<>();
        for (ConfigLayout.Section s : ConfigLayout.sections()) {
            for (String option : s.keys().values()) {
                assertTrue(placed.add(option), "--" + option + " is placed twice");
            }
        }
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(new GatewayConfig());
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            String name = o.longestName().substring(2);
            assertTrue(placed.remove(name), "--" + name + " has no place in ConfigLayout");
        }
        assertEquals(Set.of(), placed, "layout keys that name no option");
    }

    @Test
    void genconfigWritesAFileThatReadsBackToTheDefaults() {
        ConfigFile generated = yaml(ConfigDocs.genconfig());
        assertEquals(List.of(), generated.problems());
        GatewayConfig fromFile = ConfigSources.resolve(new String[0], Map.of(), generated);
        GatewayConfig defaults = new GatewayConfig();
        CommandLine.Model.CommandSpec a = CommandLine.Model.CommandSpec.forAnnotatedObject(fromFile);
        CommandLine.Model.CommandSpec b = CommandLine.Model.CommandSpec.forAnnotatedObject(defaults);
        for (CommandLine.Model.OptionSpec o : a.options()) {
            assertEquals(String.valueOf((Object) b.findOption(o.longestName()).getValue()), String.valueOf((Object) o.getValue()),
                    o.longestName());
        }
    }

    @Test
    void docsConfigurationMdIsTheGeneratedOne() throws Exception {
        Path docs = Path.of("..", "docs", "configuration.md");
        assertEquals(ConfigDocs.markdown(), Files.readString(docs),
                "docs/configuration.md is generated: java -jar server/target/switchboard.jar gendocs > docs/configuration.md");
    }

    @Test
    void printConfigMasksSecrets() {
        GatewayConfig config = ConfigSources.resolve(new String[] {"--token-secret", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t",
            "--api-key", "k1,k2", "--redis", "redis://user:pw@host:6379", "--kafka-property", "sasl.jaas.config=secret"},
                Map.of(), ConfigFile.none());
        String printed = ConfigDocs.effective(config);
        assertFalse(printed.contains("s3cr3t") || printed.contains("k1") || printed.contains("pw@")
                || printed.contains("=secret"), printed);
        assertTrue(printed.contains("tokenSecret: \"********\""), printed);
        assertTrue(printed.contains("uri: \"redis://****@host:6379\""), printed);
    }
}
