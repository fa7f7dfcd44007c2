package dev.switchboard.spring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings under {@code switchboard.*}. The common ones are typed here (IDE completion from the
 * generated metadata); every other gateway option is reachable by its command-line name under
 * {@code switchboard.options} (e.g. {@code switchboard.options.max-connections=10000}), and a whole
 * {@code switchboard.yaml} (namespaces, Pusher apps) by {@link #getConfigFile() config-file}. Precedence:
 * these properties, then the config file, then the gateway's defaults (docs/configuration.md).
 */
@ConfigurationProperties(prefix = "switchboard")
public class SwitchboardProperties {

    /** Whether to run a gateway in this application. */
    private boolean enabled = true;
    /** A switchboard.yaml (or .json, .properties) with the rest of the settings: namespaces, Pusher apps. */
    private Path configFile;
    /** Bind address (the gateway's default: 0.0.0.0, or 127.0.0.1 in dev mode). */
    private String host;
    /** HTTP + WebSocket port of the gateway (its own port, not server.port); 0 picks a free one. Default 8080. */
    private Integer port;
    /** This node's id in connection ids, logs and the cluster view (default: random). */
    private String nodeId;
    /** Development mode: /auth/token open, API key 'dev-api-key', localhost origins allowed. */
    private boolean dev;
    /** HS256 secret that verifies tickets (at least 32 bytes). */
    private String tokenSecret;
    /** JWK set URL of the ticket issuer (keys by 'kid', rotated without a restart). */
    private String tokenJwksUrl;
    /** Bearer keys of the /api HTTP API. */
    private List<String> apiKeys = new ArrayList<>();
    /** Origins allowed to open a WebSocket (globs; '*' = any). */
    private List<String> allowedOrigins = new ArrayList<>();
    /** WebSocket endpoints besides /ws, as PATH[:anonymous][:resumable]. */
    private List<String> endpoints = new ArrayList<>();
    /** Engine: memory (one node) or redis (a cluster; see redis). */
    private String engine;
    /** Redis URI of the cluster engine, e.g. redis://localhost:6379. */
    private String redis;
    /** Any other gateway option by its command-line name without dashes, e.g. ping-interval: 10s. */
    private Map<String, String> options = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getConfigFile() {
        return configFile;
    }

    public void setConfigFile(Path configFile) {
        this.configFile = configFile;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public boolean isDev() {
        return dev;
    }

    public void setDev(boolean dev) {
        this.dev = dev;
    }

    public String getTokenSecret() {
        return tokenSecret;
    }

    public void setTokenSecret(String tokenSecret) {
        this.tokenSecret = tokenSecret;
    }

    public String getTokenJwksUrl() {
        return tokenJwksUrl;
    }

    public void setTokenJwksUrl(String tokenJwksUrl) {
        this.tokenJwksUrl = tokenJwksUrl;
    }

    public List<String> getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(List<String> apiKeys) {
        this.apiKeys = apiKeys;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public String getEngine() {
        return engine;
    }

    public void setEngine(String engine) {
        this.engine = engine;
    }

    public String getRedis() {
        return redis;
    }

    public void setRedis(String redis) {
        this.redis = redis;
    }

    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(Map<String, String> options) {
        this.options = options;
    }
}
