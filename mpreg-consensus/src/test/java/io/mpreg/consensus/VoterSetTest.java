package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoterSetTest {

    @Test
    void indexesEveryVoterInSortedOrderAndNothingElse() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            TreeSet<ClusterId> members = new TreeSet<>();
            int n = 1 + random.nextInt(150);
            while (members.size() < n) {
                members.add(ClusterId.of("c" + random.nextInt(1000)));
            }
            VoterSet set = VoterSet.of(new ArrayList<>(members));
            List<ClusterId> sorted = new ArrayList<>(members);
            assertEquals(sorted, set.asList());
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i, set.indexOf(ClusterId.of(sorted.get(i).value())), "a fresh but equal id is found");
            }
            for (int k = 0; k < 50; k++) {
                ClusterId probe = ClusterId.of("c" + random.nextInt(2000));
                assertEquals(members.contains(probe), set.contains(probe));
            }
        }
    }

    @Test
    void dropsDuplicatesAndRejectsEmpty() {
        VoterSet set = VoterSet.of(ClusterId.of("b"), ClusterId.of("a"), ClusterId.of("b"));
        assertEquals(List.of(ClusterId.of("a"), ClusterId.of("b")), set.asList());
        assertThrows(IllegalArgumentException.class, () -> VoterSet.of(List.of()));
        assertFalse(set.contains(ClusterId.of("c")));
    }

    @Test
    void weightsComeFromTheTableInVoterOrderAndAreCachedPerTable() {
        WeightTable table = WeightTable.of(3, Map.of(ClusterId.of("a"), 1L, ClusterId.of("b"), 5L,
                ClusterId.of("c"), 2L));
        VoterSet set = VoterSet.of(ClusterId.of("c"), ClusterId.of("a"));
        long[] w = set.weightsIn(table);
        assertEquals(1, w[0]);
        assertEquals(2, w[1]);
        assertSame(w, set.weightsIn(table));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VoterSet.of(ClusterId.of("z")).weightsIn(table));
        assertTrue(e.getMessage().contains("cluster z is not in weight table v3"), e.getMessage());
    }
}
