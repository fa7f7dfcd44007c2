package dev.switchboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.app.MessageHandler;
import dev.switchboard.server.config.GatewayConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How properties, the config file and beans become the gateway, and what stops the start-up with a sentence. */
class SwitchboardAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class))
            .withPropertyValues("switchboard.host=127.0.0.1", "switchboard.port=0",
                    "switchboard.token-secret=auto-configuration-test-secret-0123456789",
                    "switchboard.options.shutdown-delay=0s");

    @TempDir
    Path dir;

    @Test
    void typedPropertiesAndOptionsReachTheGatewayConverted() {
        runner.withPropertyValues("switchboard.api-keys=k1,k2", "switchboard.endpoints=/public:anonymous",
                        "switchboard.options.ping-interval=7s", "switchboard.options.max-connections=1234",
                        "switchboard.options.sse=true")
                .run(ctx -> {
                    GatewayConfig config = ctx.getBean(GatewayConfig.class);
                    assertThat(config.apiKeys).containsExactly("k1", "k2");
                    assertThat(config.pingInterval).isEqualTo(Duration.ofSeconds(7));
                    assertThat(config.maxConnections).isEqualTo(1234);
                    assertThat(config.sse).isTrue();
                    assertThat(ctx.getBean(Gateway.class).endpointPaths()).contains("/public", "/ws");
                    assertThat(ctx.getBean(Gateway.class).isAccepting()).isTrue();
                });
    }

    @Test
    void theConfigFileFillsWhatThePropertiesLeave() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, """
                limits:
                  maxConnections: 77
                timeouts:
                  pingInterval: 9s
                namespaces:
                  chat: {history: {size: 50, ttl: 10m}, presence: true}
                """);
        runner.withPropertyValues("switchboard.config-file=" + file, "switchboard.options.ping-interval=3s")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    GatewayConfig config = ctx.getBean(GatewayConfig.class);
                    assertThat(config.maxConnections).isEqualTo(77);
                    assertThat(config.pingInterval).isEqualTo(Duration.ofSeconds(3)); // the property wins
                    assertThat(config.namespaces).containsKey("chat");
                });
    }

    @Test
    void anOptionThatDoesNotExistStopsTheStartUpNamingIt() {
        runner.withPropertyValues("switchboard.options.max-conections=10").run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessageContaining("max-conections").hasMessageContaining("no gateway option"));
    }

    @Test
    void aValueThatDoesNotParseStopsTheStartUp() {
        runner.withPropertyValues("switchboard.options.ping-interval=soon").run(ctx -> assertThat(ctx)
                .getFailure().hasStackTraceContaining("switchboard.*: ").hasStackTraceContaining("--ping-interval")
                .hasStackTraceContaining("'soon' is not a duration"));
    }

    @Configuration(proxyBeanMethods = false)
    static class UnnamedHandler {
        @Bean
        MessageHandler unnamed() {
            return (ctx, msg) -> ctx.reply("?");
        }
    }

    @Test
    void aHandlerBeanWithoutItsTypeStopsTheStartUp() {
        runner.withUserConfiguration(UnnamedHandler.class).run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessageContaining("'unnamed' has no @SwitchboardHandler"));
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoForOneType {
        @Bean
        @SwitchboardHandler("echo")
        MessageHandler first() {
            return (ctx, msg) -> ctx.reply(1);
        }

        @Bean
        @SwitchboardHandler("echo")
        MessageHandler second() {
            return (ctx, msg) -> ctx.reply(2);
        }
    }

    @Test
    void twoHandlerBeansForOneTypeStopTheStartUp() {
        runner.withUserConfiguration(TwoForOneType.class).run(ctx -> assertThat(ctx)
                .getFailure().rootCause().hasMessageContaining("both handle 'echo' on /ws"));
    }

    @Test
    void disabledMeansNoGateway() {
        runner.withPropertyValues("switchboard.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(Gateway.class));
    }

    @Test
    void theApplicationsOwnConfigWins() {
        runner.withBean(GatewayConfig.class, () -> {
            GatewayConfig own = new GatewayConfig();
            own.host = "127.0.0.1";
            own.port = 0;
            own.tokenSecret = "the-applications-own-config-secret-0123";
            own.nodeId = "own";
            return own;
        }).run(ctx -> assertThat(ctx.getBean(Gateway.class).nodeId()).isEqualTo("own"));
    }

    @Test
    void theJarCarriesPropertyMetadataForIdeCompletion() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"switchboard.port\"", "\"switchboard.token-secret\"", "\"switchboard.options\"",
                    "HTTP + WebSocket port of the gateway",
                    "\"switchboard.options.keys\"", "\"ping-interval\"", "\"kafka-bootstrap\""); // every option as a hint
        }
    }
}
