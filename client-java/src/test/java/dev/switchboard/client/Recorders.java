package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Listeners that record what they are told, with waits bounded in time (no sleeps). */
final class Recorders {

    private Recorders() {
    }

    /** Waits up to 5 s for an element matching {@code test}, discarding the ones before it. */
    static <T> T await(LinkedBlockingQueue<T> queue, Predicate<T> test, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long left = deadline - System.nanoTime();
            T item = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            assertNotNull(item, "timed out waiting for " + what);
            if (test.test(item)) {
                return item;
            }
        }
    }

    /** Takes exactly {@code n} elements, each within 5 s. */
    static <T> List<T> take(LinkedBlockingQueue<T> queue, int n, String what) throws InterruptedException {
        List<T> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            T item = queue.poll(5, TimeUnit.SECONDS);
            assertNotNull(item, "timed out waiting for " + what + " #" + (i + 1) + " (got " + items + ")");
            items.add(item);
        }
        return items;
    }

    /** Connection events in order. */
    static final class Events implements ConnectionListener {
        final LinkedBlockingQueue<ConnectionEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void onStateChange(ConnectionEvent event) {
            queue.add(event);
        }

        ConnectionEvent await(ConnectionState state) throws InterruptedException {
            return Recorders.await(queue, e -> e.state() == state, state.toString());
        }
    }

    /** Everything a subscription is told. */
    static final class Channel implements SubscriptionListener {
        final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<SubscribeResult> subscribed = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<SubscribeResult> recoveryFailed = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<PresenceEvent> presence = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<SwitchboardException> errors = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(Message message) {
            messages.add(message);
        }

        @Override
        public void onSubscribed(SubscribeResult result) {
            subscribed.add(result);
        }

        @Override
        public void onRecoveryFailed(SubscribeResult result) {
            recoveryFailed.add(result);
        }

        @Override
        public void onPresence(PresenceEvent event) {
            presence.add(event);
        }

        @Override
        public void onError(SwitchboardException error) {
            errors.add(error);
        }

        List<Long> offsets(int n) throws InterruptedException {
            return take(messages, n, "message").stream().map(Message::offset).toList();
        }
    }
}
