package dev.switchboard.server.engine;

import dev.switchboard.protocol.Publication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A node's broker and presence listener that queues what it receives, for tests to take with a timeout. */
public final class RecordingListener implements BrokerListener, PresenceListener {

    /** A received delivery. */
    public record Delivery(Target target, String frame) {
    }

    /** A received disconnect command. */
    public record Disconnect(Target target, int code, String reason) {
    }

    public final BlockingQueue<Publication> publications = new LinkedBlockingQueue<>();
    public final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    public final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> expiredPresence = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> restoredPresence = new LinkedBlockingQueue<>();
    /** The counts this "node" reports to the node directory. */
    public volatile int connections;
    public volatile int users;

    /** This node's report as the node directory asks for it. */
    public NodeInfo report(String nodeId) {
        return new NodeInfo(nodeId, connections, users, System.currentTimeMillis());
    }

    @Override
    public void onPresenceExpired(String channel, String user) {
        expiredPresence.add(channel + " " + user);
    }

    @Override
    public void onPresenceRestored(String channel, String user) {
        restoredPresence.add(channel + " " + user);
    }

    @Override
    public void onPublication(Publication publication) {
        publications.add(publication);
    }

    @Override
    public void onDelivery(Target target, byte[] frame) {
        deliveries.add(new Delivery(target, new String(frame, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public void onDisconnect(Target target, int code, String reason) {
        disconnects.add(new Disconnect(target, code, reason));
    }

    /** Takes {@code n} publications of {@code channel} (others are skipped), failing after {@code seconds}. */
    public List<Publication> take(String channel, int n, long seconds) throws InterruptedException {
        List<Publication> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            Publication p = left > 0 ? publications.poll(left, TimeUnit.NANOSECONDS) : null;
            if (p == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " publications of " + channel);
            }
            if (p.channel().equals(channel)) {
                out.add(p);
            }
        }
        return out;
    }
}
