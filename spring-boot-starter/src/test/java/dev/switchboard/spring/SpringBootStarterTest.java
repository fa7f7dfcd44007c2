package dev.switchboard.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.FrameListener;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.protocol.schema.FrameSchema;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.app.ConnectRequest;
import dev.switchboard.server.app.ConnectResult;
import dev.switchboard.server.app.GatewayApi;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.app.MessageHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A small Spring Boot application with the starter: its handler bean answers over a real WebSocket (the Java
 * SDK), application code publishes through the injected {@link GatewayApi}, a hook bean decides connects, the
 * gateway's meters are in the application's registry, Actuator's health shows the gateway, and closing the
 * context drains it.
 */
@SpringBootTest(classes = SpringBootStarterTest.App.class, properties = {
        "switchboard.host=127.0.0.1",
        "switchboard.port=0",
        "switchboard.dev=true",
        "switchboard.token-secret=spring-starter-test-secret-0123456789",
        "switchboard.options.ping-interval=5s",
        "switchboard.options.shutdown-delay=0s",
        "switchboard.options.drain-timeout=2s",
        "management.endpoint.health.show-details=always"})
class SpringBootStarterTest {

    @SpringBootApplication
    static class App {

        /** Users the connect hook saw: the hook bean is asked before the ticket is trusted alone. */
        final LinkedBlockingQueue<String> connects = new LinkedBlockingQueue<>();

        @Bean
        @SwitchboardHandler("greet")
        MessageHandler greet() {
            return (ctx, msg) -> ctx.reply(Map.of("hello", ctx.user(), "said", msg.data().path("text").asText()));
        }

        @Bean
        LifecycleHooks seenConnects() {
            return new LifecycleHooks() {
                @Override
                public boolean decidesConnect() {
                    return true;
                }

                @Override
                public CompletionStage<ConnectResult> connect(ConnectRequest request) {
                    connects.add(request.ticketClaims() == null ? "?" : String.valueOf(request.ticketClaims().get("sub")));
                    return CompletableFuture.completedFuture(ConnectResult.UNDECIDED);
                }
            };
        }
    }

    @Autowired
    Gateway gateway;
    @Autowired
    GatewayApi api;
    @Autowired
    MeterRegistry applicationRegistry;
    @Autowired
    HealthEndpoint health;
    @Autowired
    App app;
    @Autowired
    ConfigurableApplicationContext context;

    private String ticket(String user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/auth/token?user=" + user)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(r.body()).path("token").asText();
    }

    @Test
    void servesTheHandlerBeanPublishesThroughTheApiAndReportsHealthAndMeters() throws Exception {
        assertTrue(gateway.isAccepting(), "started with the context");
        FrameSchema.Tap schema = new FrameSchema.Tap(true); // every frame with the gateway, against the protocol schema
        SwitchboardClient client = SwitchboardClient.builder().url("ws://127.0.0.1:" + gateway.port() + "/ws")
                .token(ticket("alice")).frameListener(FrameListener.of(schema::sent, schema::received)).build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            assertEquals("alice", app.connects.poll(5, TimeUnit.SECONDS), "the LifecycleHooks bean was asked");

            JsonNode reply = client.request("greet", Map.of("text", "hi")).get(10, TimeUnit.SECONDS);
            assertEquals("alice", reply.path("hello").asText());
            assertEquals("hi", reply.path("said").asText());

            LinkedBlockingQueue<Message> news = new LinkedBlockingQueue<>();
            client.subscribe("news", news::add).ready().get(10, TimeUnit.SECONDS);
            api.publish("news", Map.of("headline", "from the application")).get(10, TimeUnit.SECONDS);
            Message m = news.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "the publication through GatewayApi reached the subscriber");
            assertEquals("from the application", m.data().path("headline").asText());

            // the gateway's meters are in the application's registry, live
            assertNotNull(applicationRegistry.find("switchboard.connections").meter(), "gateway meters shared");

            var switchboard = health.healthForPath("switchboard");
            assertNotNull(switchboard, "the health contributor is registered with Actuator");
            assertEquals(Status.UP, switchboard.getStatus());
            schema.assertClean();
        } finally {
            client.close();
        }
    }

    @Test
    void closingTheContextDrainsTheGatewayAndTakesItsMetersOut() throws Exception {
        // A context of its own: closing the shared test context would break the other test.
        try (ConfigurableApplicationContext own = new org.springframework.boot.builder.SpringApplicationBuilder(App.class)
                .properties("switchboard.host=127.0.0.1", "switchboard.port=0", "switchboard.dev=true",
                        "switchboard.token-secret=spring-starter-test-secret-0123456789",
                        "switchboard.options.shutdown-delay=0s", "switchboard.options.drain-timeout=2s")
                .run()) {
            Gateway gw = own.getBean(Gateway.class);
            MeterRegistry registry = own.getBean(MeterRegistry.class);
            int port = gw.port();
            assertNotNull(registry.find("switchboard.connections").meter());
            own.close();
            assertFalse(gw.isAccepting(), "drained with the context");
            assertEquals(null, registry.find("switchboard.connections").meter(), "no gauge left reading a closed gateway");
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
                throw new AssertionError("the port still accepts after the context closed");
            } catch (java.net.ConnectException expected) {
                // closed
            }
        }
    }
}
