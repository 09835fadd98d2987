package io.mpreg.federation.internal.link;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.WireMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    private static ClusterId c(int i) {
        return ClusterId.of("c" + i);
    }

    private static WireMessage.LinkState state(int origin, long seq, int... neighbours) {
        TreeSet<ClusterId> set = new TreeSet<>();
        for (int n : neighbours) {
            set.add(c(n));
        }
        return new WireMessage.LinkState(NodeId.of("c" + origin, "gw"), seq, 0, set, 1, io.mpreg.api.Digest.sha256(),
                new byte[0]);
    }

    /** Router of c1, unsigned. */
    private static Router router() {
        return new Router(NodeId.of("c1", "gw"), 1_000, () -> io.mpreg.consensus.WeightTable.of(1, java.util.Map.of()),
                0, OriginSeal.NONE, () -> {
                    throw new AssertionError("refused");
                });
    }

    /** Router of c1 in the ring 1-2-3-4-1, everyone's state known. */
    private static Router ring() {
        Router r = router();
        r.linkUp(c(2), NodeId.of("c2", "gw"));
        r.linkUp(c(4), NodeId.of("c4", "gw"));
        assertTrue(r.accept(state(2, 1, 1, 3), 0));
        assertTrue(r.accept(state(3, 1, 2, 4), 0));
        assertTrue(r.accept(state(4, 1, 3, 1), 0));
        return r;
    }

    @Test
    void nextHopsAreClosestFirstAndAvoidTheVisited() {
        Router r = ring();
        assertEquals(List.of(c(2), c(4)), r.nextHops(c(3), List.of(c(1))), "two hops either way, then by id");
        assertEquals(List.of(c(2), c(4)), r.nextHops(c(2), List.of(c(1))), "direct first, the long way second");
        assertEquals(List.of(c(4)), r.nextHops(c(3), List.of(c(1), c(2))), "a frame that came through c2");
        assertEquals(List.of(), r.nextHops(c(3), List.of(c(1), c(2), c(4))), "nowhere left to go");
        assertEquals(new TreeSet<>(Set.of(c(1), c(2), c(3), c(4))), r.reachable());
    }

    @Test
    void aLinkCountsOnlyWhenBothEndsReportIt() {
        Router r = router();
        r.linkUp(c(2), NodeId.of("c2", "gw"));
        r.accept(state(2, 1, 1, 3), 0); // c2 says it is linked with c3, c3 has not confirmed
        assertEquals(List.of(), r.nextHops(c(3), List.of(c(1))));
        r.accept(state(3, 1, 2), 0);
        assertEquals(List.of(c(2)), r.nextHops(c(3), List.of(c(1))));
    }

    @Test
    void olderStatesAreIgnoredAndSilentOnesExpire() {
        Router r = ring();
        assertFalse(r.accept(state(3, 1, 2, 4), 10), "same sequence: not news (but refreshes)");
        assertFalse(r.accept(state(3, 0), 10), "older: ignored");
        assertTrue(r.accept(state(3, 2, 4), 10), "newer: c3 lost c2");
        assertEquals(List.of(c(4)), r.nextHops(c(3), List.of(c(1))));
        r.expire(2_000); // nothing refreshed since t=10 with expiry 1000
        assertEquals(List.of(), r.nextHops(c(3), List.of(c(1))));
        assertEquals(new TreeSet<>(Set.of(c(1), c(2), c(4))), r.reachable(), "direct links stay known first hand");
        assertEquals(null, r.linkDown(c(3)), "not linked: no new state");
        WireMessage.LinkState own = r.linkDown(c(2));
        assertEquals(new TreeSet<>(Set.of(c(4))), own.neighbours());
    }

    @Test
    void cachedRoutesFollowEveryTopologyChange() {
        Router r = ring();
        assertEquals(List.of(c(2), c(4)), r.nextHops(c(3), List.of(c(1))));
        r.linkDown(c(2));
        assertEquals(List.of(c(4)), r.nextHops(c(3), List.of(c(1))), "a link down");
        r.linkUp(c(2), NodeId.of("c2", "gw"));
        assertEquals(List.of(c(2), c(4)), r.nextHops(c(3), List.of(c(1))), "and up again");
        assertTrue(r.accept(state(4, 2, 1), 0)); // c4 no longer reports c3
        assertEquals(List.of(c(2)), r.nextHops(c(3), List.of(c(1))), "a neighbour's new link state");
        r.accept(state(2, 2, 1, 3), 500); // c2 refreshed at 500; c3's state (from 0) expires by 1,200
        r.expire(1_200);
        assertEquals(List.of(), r.nextHops(c(3), List.of(c(1))), "state expired: c3 no longer confirms c2");
    }
}
