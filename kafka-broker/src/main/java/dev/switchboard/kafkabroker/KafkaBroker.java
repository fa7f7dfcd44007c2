package dev.switchboard.kafkabroker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one process) in a child JVM on loopback, run
 * from the jars this module resolved from Maven Central. Stoppable and restartable on the same ports and log
 * directory, like a broker that was down for a while. Killed with the JVM that started it if left running.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLUSTER_ID = "c3dpdGNoYm9hcmQtdGVzdA";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private Process process;
    private Admin admin;

    private KafkaBroker(Path dir, int port, int controllerPort, String classpath) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
    }

    /** Formats a fresh log directory and starts the broker; returns once it answers metadata requests. */
    public static KafkaBroker start() throws IOException, InterruptedException {
        return start(Path.of("target").toAbsolutePath());
    }

    /** Like {@link #start()}, with the broker's data and log under a new directory in {@code parent}. */
    public static KafkaBroker start(Path parent) throws IOException, InterruptedException {
        String classpath;
        try (InputStream in = KafkaBroker.class.getResourceAsStream("classpath.txt")) {
            if (in == null) {
                throw new IllegalStateException("the broker classpath resource is missing: build the kafka-broker module");
            }
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "kafka-");
        KafkaBroker b = new KafkaBroker(dir, freePort(), freePort(), classpath);
        b.writeConfig();
        b.run("kafka.tools.StorageTool", "format", "--standalone", "-t", CLUSTER_ID, "-c",
                dir.resolve("server.properties").toString()).waitFor(60, TimeUnit.SECONDS);
        b.launch();
        return b;
    }

    private void writeConfig() throws IOException {
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "group.min.session.timeout.ms=1000",
                "auto.create.topics.enable=false",
                "");
        Files.writeString(dir.resolve("server.properties"), props);
    }

    private Process run(String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(System.getProperty("kafka.broker.jvm", "-Xmx512m -XX:+UseSerialGC").trim().split("\\s+")));
        cmd.addAll(List.of("-cp", classpath, main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        process = run("kafka.Kafka", dir.resolve("server.properties").toString());
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kafka-broker-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin().describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("kafka broker did not start; see " + dir.resolve("broker.log"), e);
                }
                Thread.sleep(100); // polling for the broker to answer; there is no event to wait on
            }
        }
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            admin = Admin.create(p);
        }
        return admin;
    }

    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** A topic with topic-level settings, e.g. {@code message.timestamp.type=LogAppendTime}. */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                .all().get(30, TimeUnit.SECONDS);
    }

    /** A producer that waits for the broker's acknowledgement of every record. */
    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
    }


    /** Stops the broker (SIGTERM, then SIGKILL); {@link #restart()} brings it back on the same ports and data. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    @Override
    public void close() {
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
