package dev.switchboard.server.engine.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The feed against a scripted stream whose reads complete when the test says: what reaches the hub is in offset
 * order, without duplicates, and only what the stream vouches for.
 */
class ChannelFeedTest {

    /** A stream of one epoch that retains only its newest {@code retained} publications. */
    private static final class ScriptedStream {
        String epoch = "e1";
        long top;
        int retained = Integer.MAX_VALUE;
        final List<CompletableFuture<HistoryPage<Publication>>> pending = new ArrayList<>();
        final List<Long> sinces = new ArrayList<>();

        Publication publish() {
            return pub(++top, epoch);
        }

        CompletableFuture<HistoryPage<Publication>> read(long since) {
            sinces.add(since);
            var f = new CompletableFuture<HistoryPage<Publication>>();
            pending.add(f);
            return f;
        }

        /** Answers the oldest pending read with the stream as it is now. */
        void answer(long since) {
            List<Publication> pubs = new ArrayList<>();
            long oldest = Math.max(1, top - retained + 1);
            for (long o = Math.max(since + 1, oldest); since >= 0 && o <= top; o++) {
                pubs.add(pub(o, epoch));
            }
            pending.removeFirst().complete(new HistoryPage<>(pubs, new StreamPosition(top, epoch), since < 0 || since + 1 >= oldest));
        }
    }

    private final ScriptedStream stream = new ScriptedStream();
    private final List<Publication> delivered = new ArrayList<>();
    private final List<String> drops = new ArrayList<>();
    private final ChannelFeed feed = new ChannelFeed("c", stream::read, delivered::add, drops::add);

    private static Publication pub(long offset, String epoch) {
        return new Publication("c", offset, epoch, 0, null, IntNode.valueOf((int) offset));
    }

    private List<Long> offsets() {
        return delivered.stream().map(Publication::offset).toList();
    }

    @Test
    void theFirstMessageStartsTheFeedAndWhatArrivesWhileTheStreamIsReadFollowsInOrder() {
        for (int i = 0; i < 40; i++) {
            stream.publish();
        }
        stream.retained = 10;
        feed.offer(stream.publish()); // 41: the first this node hears
        Publication p42 = stream.publish();
        feed.offer(p42);
        stream.answer(stream.sinces.getLast()); // position 42
        Publication p43 = stream.publish();
        feed.offer(p43);
        assertEquals(List.of(41L, 42L, 43L), offsets(), "no history before the first message, none lost after it");
    }

    /**
     * The feed started at 1, then Pub/Sub lost 2..6 and the stream keeps only its newest 3: returns 7 and the
     * {@code live} publications after it, not yet offered.
     */
    private List<Publication> afterALostStretch(int live) {
        feed.offer(stream.publish());
        stream.answer(-1);
        stream.retained = 3;
        for (int i = 0; i < 5; i++) {
            stream.publish(); // 2..6: Pub/Sub lost these
        }
        List<Publication> out = new ArrayList<>();
        for (int i = 0; i <= live; i++) {
            out.add(stream.publish());
        }
        return out;
    }

    /** 1, then 7 to {@code last}. */
    private static List<Long> oneThenSevenTo(long last) {
        List<Long> want = new ArrayList<>(List.of(1L));
        for (long o = 7; o <= last; o++) {
            want.add(o);
        }
        return want;
    }

    @Test
    void waitingMessagesFillInWhatRetentionTrimmedFromTheReadAfterAGap() {
        List<Publication> live = afterALostStretch(19); // 7..26
        live.forEach(feed::offer); // 7 shows the gap; the rest wait for the read
        stream.answer(stream.sinces.getLast()); // holds only 24..26, but 7..26 are waiting
        assertEquals(oneThenSevenTo(26), offsets(), "2..6 are gone with retention; everything heard is delivered in order");
    }

    @Test
    void aTrimmedReadDoesNotSkipWhatIsStillOnItsWayOverPubSub() {
        List<Publication> live = afterALostStretch(13); // 7..20, all in flight when the read runs
        feed.offer(live.getFirst()); // 7 shows the gap
        stream.answer(stream.sinces.getLast()); // the page holds 18..20 only
        live.subList(1, live.size()).forEach(feed::offer);
        assertEquals(oneThenSevenTo(20), offsets(), "8..17 were not skipped for the page's 18..20");
    }

    @Test
    void aForgedOffsetFarAheadIsDroppedAndRealPublicationsFollowIt() {
        feed.offer(stream.publish());
        stream.answer(-1);
        feed.offer(pub(1_000, "e1"));
        feed.offer(pub(1, "forged")); // arrived after that read was issued: the next read checks it
        stream.answer(stream.sinces.getLast());
        stream.answer(stream.sinces.getLast());
        feed.offer(stream.publish());
        feed.offer(stream.publish());
        assertEquals(List.of(1L, 2L, 3L), offsets());
        assertEquals(List.of("impossible", "impossible"), drops);
    }

    @Test
    void aMessagePublishedAfterTheReadWasIssuedWaitsForTheNextRead() {
        feed.offer(stream.publish());
        stream.answer(-1);
        feed.offer(pub(5, "e1")); // ahead: a read is issued
        stream.top = 5; // 2..5 published; only 5 was heard, after the read was issued
        Publication late = pub(6, "e1");
        stream.top = 6;
        feed.offer(late);
        stream.top = 4; // the read answers as the stream was when it ran: 5 and 6 not yet in it
        stream.answer(stream.sinces.getLast());
        assertEquals(List.of(1L, 2L, 3L, 4L), offsets());
        assertEquals(List.of("impossible"), drops, "5 arrived before the read yet the read does not hold it");
        stream.top = 6;
        stream.answer(stream.sinces.getLast()); // 6 came after: the next read holds it
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), offsets());
    }

    @Test
    void aNewEpochIsReadFromItsStart() {
        feed.offer(stream.publish());
        feed.offer(stream.publish());
        stream.answer(-1);
        stream.epoch = "e2"; // Redis lost the channel
        stream.top = 0;
        stream.publish();
        Publication second = stream.publish();
        feed.offer(second); // this node missed the first of the new epoch
        stream.answer(stream.sinces.getLast()); // since 2 in e1: the stream says e2
        assertEquals(0L, stream.sinces.getLast(), "the new epoch read from its start");
        stream.answer(0);
        assertEquals(List.of(1L, 2L, 1L, 2L), offsets());
        assertEquals("e2", delivered.getLast().epoch());
    }
}
