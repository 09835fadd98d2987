package io.mpreg.it.sim;

import io.mpreg.api.ClusterId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.RoundId;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fault detector that flags nothing and remembers every vote a coordinator's rounds saw: for each round and voter,
 * the distinct (verdict, digest) pairs. The checker uses it to know when both of a twin's votes reached one honest
 * coordinator, which is exactly when that coordinator must have flagged the twin. It runs through the same SPI as
 * the real detectors, next to them.
 *
 * @since 0.3.0
 */
public final class VoteTap implements FaultDetectorProvider {
    private final Map<RoundId, Map<ClusterId, Set<String>>> seen = new TreeMap<>(
            java.util.Comparator.comparing((RoundId r) -> r.coordinator()).thenComparingLong(RoundId::sequence));

    @Override
    public String name() {
        return "sim-vote-tap";
    }

    @Override
    public FaultDetector create(PluginOptions options) {
        return view -> (index, vote) -> {
            seen.computeIfAbsent(vote.round(), r -> new TreeMap<>())
                    .computeIfAbsent(vote.voter(), v -> new TreeSet<>())
                    .add(vote.verdict() + " " + vote.digest());
            return null;
        };
    }

    /** The rounds in which {@code voter} was seen voting two different ways. */
    public Set<RoundId> conflicting(ClusterId voter) {
        Set<RoundId> out = new TreeSet<>(java.util.Comparator.comparing((RoundId r) -> r.coordinator())
                .thenComparingLong(RoundId::sequence));
        seen.forEach((round, votes) -> {
            if (votes.getOrDefault(voter, Set.of()).size() > 1) {
                out.add(round);
            }
        });
        return out;
    }
}
