package dev.switchboard.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeSpreadTest {

    @Test
    void subscribersSpreadEvenlyOverTheNodes() {
        NodeSpread s = NodeSpread.of(3, "1");
        int[] perNode = new int[3];
        for (int i = 0; i < 3000; i++) {
            perNode[s.subscriberNode(i)]++;
        }
        assertEquals(1000, perNode[0]);
        assertEquals(1000, perNode[1]);
        assertEquals(1000, perNode[2]);
    }

    @Test
    void oneNodePublishesThroughOneConnectionAndSplitsReceiversBySameOrOtherNode() {
        NodeSpread s = NodeSpread.of(3, "2");
        assertTrue(s.onePublishingNode());
        assertEquals(1, s.publishers());
        assertEquals(1, s.publisherNode(0));
        assertEquals(0, s.publisherFor(0));
        assertEquals(0, s.publisherFor(7));
        assertEquals(1, s.group(0)); // node 1
        assertEquals(0, s.group(1)); // node 2, the publisher's
        assertEquals(1, s.group(2)); // node 3
        assertEquals(0, s.group(4)); // node 2 again
    }

    @Test
    void roundRobinPublishesThroughEveryNodeInTurn() {
        NodeSpread s = NodeSpread.of(3, "Round-Robin");
        assertFalse(s.onePublishingNode());
        assertEquals(3, s.publishers());
        for (int k = 0; k < 3; k++) {
            assertEquals(k, s.publisherNode(k));
        }
        assertEquals(0, s.publisherFor(0));
        assertEquals(1, s.publisherFor(1));
        assertEquals(2, s.publisherFor(2));
        assertEquals(0, s.publisherFor(3_000_000_000L));
        assertEquals(0, s.group(1), "no same/other split without one publishing node");
    }

    @Test
    void aSingleNodeTargetPublishesThroughItsNodeWhateverWasChosen() {
        for (String via : new String[] {"1", "3", "round-robin"}) {
            NodeSpread s = NodeSpread.of(1, via);
            assertEquals(1, s.publishers(), via);
            assertEquals(0, s.publisherNode(0), via);
            assertEquals(0, s.subscriberNode(5), via);
            assertEquals(0, s.group(5), via);
        }
    }

    @Test
    void rejectsNodesThatDoNotExistAndWords() {
        assertThrows(IllegalArgumentException.class, () -> NodeSpread.of(3, "4"));
        assertThrows(IllegalArgumentException.class, () -> NodeSpread.of(3, "0"));
        assertThrows(IllegalArgumentException.class, () -> NodeSpread.of(3, "first"));
        assertThrows(IllegalArgumentException.class, () -> NodeSpread.of(1, "first"));
    }
}
