package dev.switchboard.bench.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network the fault runs use: every process in its own network namespace (the three sentinels of a Sentinel
 * run share one), joined by veth pairs to two
 * bridges inside a hub namespace: the backplane (Redis and the gateways' Redis side) and the front (the
 * gateways' client side and the namespace the clients run in). A partition takes a veth link down at the hub,
 * so TCP sees a silent network, not a closed socket; a slow link is a {@code tc tbf} on both ends. Nothing is
 * created outside the namespaces this class makes (all named {@code sbf-*}), and {@link #close()} removes them.
 *
 * <p>Needs root and iproute2 ({@code ip}, {@code tc}).
 */
final class NetLab implements AutoCloseable {

    static final String PREFIX = "sbf-";
    static final String HUB = PREFIX + "hub";
    static final String REDIS = PREFIX + "redis";
    static final String CLIENTS = PREFIX + "clients";
    static final String REDIS_REPLICA = PREFIX + "redis2";
    static final String SENTINELS = PREFIX + "sentinel";
    private static final String BACK_NET = "10.231.1.";
    private static final String FRONT_NET = "10.231.2.";

    private final int gateways;
    private final List<String> created = new ArrayList<>();

    private NetLab(int gateways) {
        this.gateways = gateways;
    }

    static String gateway(int i) {
        return PREFIX + "gw" + i;
    }

    /** Redis's address on the backplane. */
    static String redisAddress() {
        return BACK_NET + "2";
    }

    /** The Redis replica's address on the backplane (Sentinel runs). */
    static String replicaAddress() {
        return BACK_NET + "3";
    }

    /** The sentinels' address on the backplane (Sentinel runs; one port each). */
    static String sentinelAddress() {
        return BACK_NET + "4";
    }

    /** The clients' namespace's address on the front network (where gateways reach the webhook receiver). */
    static String clientsAddress() {
        return FRONT_NET + "100";
    }

    /** Gateway {@code i}'s address on the front network (where clients reach it). */
    static String gatewayAddress(int i) {
        return FRONT_NET + (10 + i);
    }

    /** Whether this machine can build the lab (root and iproute2). */
    static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root";
        }
        try {
            run(List.of("ip", "netns", "list"));
            run(List.of("tc", "-V"));
            return null;
        } catch (IOException e) {
            return "iproute2 (ip, tc) is missing or refused: " + e.getMessage();
        }
    }

    /** The lab another process built: links can be cut and restored, nothing is removed on close. */
    static NetLab existing(int gateways) {
        return new NetLab(gateways);
    }

    /** Builds the namespaces and links for Redis, {@code gateways} gateways and the clients (removing leftovers). */
    static NetLab build(int gateways) throws IOException {
        removeLeftovers();
        NetLab lab = new NetLab(gateways);
        try {
            lab.namespace(HUB);
            lab.ip(HUB, "link", "add", "br-back", "type", "bridge");
            lab.ip(HUB, "link", "add", "br-front", "type", "bridge");
            lab.ip(HUB, "link", "set", "br-back", "up");
            lab.ip(HUB, "link", "set", "br-front", "up");
            lab.namespace(REDIS);
            lab.attach(REDIS, "back", "br-back", redisAddress());
            lab.namespace(REDIS_REPLICA);
            lab.attach(REDIS_REPLICA, "back", "br-back", replicaAddress());
            lab.namespace(SENTINELS);
            lab.attach(SENTINELS, "back", "br-back", sentinelAddress());
            for (int i = 1; i <= gateways; i++) {
                lab.namespace(gateway(i));
                lab.attach(gateway(i), "back", "br-back", BACK_NET + (10 + i));
                lab.attach(gateway(i), "front", "br-front", gatewayAddress(i));
            }
            lab.namespace(CLIENTS);
            lab.attach(CLIENTS, "front", "br-front", clientsAddress());
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Cuts (or restores) gateway {@code i}'s link to Redis; its clients still reach it. */
    void gatewayBackplane(int i, boolean up) throws IOException {
        ip(HUB, "link", "set", hubEnd(gateway(i), "back"), up ? "up" : "down");
    }

    /** Cuts (or restores) Redis's link to every gateway. */
    void redisLink(boolean up) throws IOException {
        ip(HUB, "link", "set", hubEnd(REDIS, "back"), up ? "up" : "down");
    }

    /** Limits gateway {@code i}'s link to Redis to {@code rate} (e.g. {@code 256kbit}) both ways, or lifts it. */
    void slowBackplane(int i, String rate) throws IOException {
        String hubSide = hubEnd(gateway(i), "back");
        if (rate == null) {
            run(List.of("tc", "-n", HUB, "qdisc", "del", "dev", hubSide, "root"));
            run(List.of("tc", "-n", gateway(i), "qdisc", "del", "dev", "back", "root"));
            return;
        }
        List<String> tbf = List.of("tbf", "rate", rate, "burst", "16kbit", "latency", "400ms");
        List<String> a = new ArrayList<>(List.of("tc", "-n", HUB, "qdisc", "add", "dev", hubSide, "root"));
        a.addAll(tbf);
        run(a);
        List<String> b = new ArrayList<>(List.of("tc", "-n", gateway(i), "qdisc", "add", "dev", "back", "root"));
        b.addAll(tbf);
        run(b);
    }

    /** The command prefix that runs a program inside namespace {@code ns}. */
    static List<String> inside(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    int gateways() {
        return gateways;
    }

    private void namespace(String ns) throws IOException {
        run(List.of("ip", "netns", "add", ns));
        created.add(ns);
        ip(ns, "link", "set", "lo", "up");
    }

    /** A veth pair: {@code ifname} with {@code address}/24 inside {@code ns}, its peer on {@code bridge} in the hub. */
    private void attach(String ns, String ifname, String bridge, String address) throws IOException {
        String hubSide = hubEnd(ns, ifname);
        ip(HUB, "link", "add", hubSide, "type", "veth", "peer", "name", ifname, "netns", ns);
        ip(HUB, "link", "set", hubSide, "master", bridge);
        ip(HUB, "link", "set", hubSide, "up");
        ip(ns, "addr", "add", address + "/24", "dev", ifname);
        ip(ns, "link", "set", ifname, "up");
    }

    /** The hub's end of a namespace's link: short enough for the 15-character interface name limit. */
    private static String hubEnd(String ns, String ifname) {
        return ns.substring(PREFIX.length()) + "-" + ifname.charAt(0);
    }

    private void ip(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Namespaces a killed earlier run left behind (they hold no process once it is gone). */
    private static void removeLeftovers() throws IOException {
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(PREFIX)) {
                run(List.of("ip", "netns", "del", ns));
            }
        }
    }

    @Override
    public void close() {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                run(List.of("ip", "netns", "del", created.get(i)));
            } catch (IOException e) {
                System.err.println("faults: could not remove namespace " + created.get(i) + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
