package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.RoundId;
import io.mpreg.api.RoundTerms;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS A4 live. A PREPARE whose round opened long ago (its deadline past by more than the clock allowance) or
 * in the future is refused without a vote, counted and logged with the reason; one whose timeout is beyond the
 * federation's maximum gets a no vote saying so. A DECISION that reaches a target while it is still signing its vote
 * is kept and applied once the vote is cast, not dropped.
 */
class BoundedPreparesIT {
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId C3 = ClusterId.of("c3");
    private final SplittableRandom random = new SplittableRandom(29);

    private Message message(String text) {
        return Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void preparesOutOfTimeOrBeyondTheMaximumAreRefusedWithTheReason(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4).start()) {
            f.awaitDirectLinks();
            f.subscribe(1, "orders");
            f.subscribe(2, "orders");
            f.gate.record(f.id(1), f.id(2));
            f.gate.record(f.id(2), f.id(1));
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(message("template"), DeliveryOptions
                    .of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(C1, C2).withThreshold(Threshold.ALL)));
            assertTrue(r.success(), r.toString());
            WireMessage.Prepare template = WireTap.awaitFirst(f, 1, 2, WireMessage.Prepare.class,
                    p -> p.round().equals(r.certificate().round()));
            long now = System.currentTimeMillis();
            RoundId past = new RoundId(C1, number(now - Duration.ofMinutes(5).toMillis()));
            RoundId future = new RoundId(C1, number(now + Duration.ofMinutes(5).toMillis()));
            RoundId tooLong = new RoundId(C1, number(now) + 7);
            List<ClusterId> via = List.of(ClusterId.of("c4"));
            WireTap.forge(f, 4, 2, like(template, past, template.timeoutMillis(), via));
            WireTap.forge(f, 4, 2, like(template, future, template.timeoutMillis(), via));
            WireTap.forge(f, 4, 2, like(template, tooLong, RoundTerms.MAX_TIMEOUT.toMillis() + 1, via));

            WireMessage.VoteFrame no = WireTap.awaitFirst(f, 2, 1, WireMessage.VoteFrame.class,
                    v -> v.vote().round().equals(tooLong));
            assertEquals(Verdict.NO, no.vote().verdict());
            assertTrue(no.vote().reason().contains("timeout of " + (RoundTerms.MAX_TIMEOUT.toMillis() + 1) + " ms"),
                    no.vote().reason());
            Await.until(PATIENCE, "c2 refuses the PREPAREs of a round long past and of one in the future",
                    () -> f.node(2).statistics().preparesRefused() == 2, () -> f.node(2).statistics());
            assertEquals(List.of(), WireTap.recorded(f, 2, 1, WireMessage.VoteFrame.class,
                    v -> v.vote().round().equals(past) || v.vote().round().equals(future)), "no vote in either");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aDecisionThatComesWhileTheVoteIsSignedIsApplied(String transport) throws Exception {
        HeldSigner signer = new HeldSigner();
        try (LiveFederation f = new LiveFederation(transport, 4, (id, b) -> id.cluster().equals(C2)
                ? b.signingExecutor(signer) : b).start()) {
            f.awaitDirectLinks();
            f.subscribe(1, "orders");
            f.subscribe(3, "orders");
            f.node(2).createQueue(QueueConfig.fifo("orders"));
            f.gate.record(f.id(2), f.id(4));
            signer.hold();
            // c1 and c3 commit without c2, whose vote waits to be signed; it would hear nothing more of the round
            // for a minute: its vote, were it sent late, is lost on the way
            f.gate.blockType(f.id(2), f.id(1), WireCodec.VOTE);
            CompletableFuture<DeliveryResult> sent = f.node(1).send(message("two of three"),
                    DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(C1, C2, C3)
                            .withThreshold(Threshold.of(2, 3)).withTimeout(Duration.ofMinutes(1)));
            DeliveryResult r = LiveFederation.outcome(sent);
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(C1, C3), r.committedTo());
            Await.until(PATIENCE, "the COMMIT reached c2 while it signs its vote",
                    () -> f.gate.handed(f.id(1), f.id(2), WireCodec.DECISION) >= 1);
            signer.release();

            // c2 applied the COMMIT (committed elsewhere, so nothing is delivered there) once its vote was cast: it
            // answers another cluster asking for the decision, which it could not while still waiting for one
            RoundId round = r.certificate().round();
            List<ClusterId> via = List.of(ClusterId.of("c4"));
            int[] asked = {0};
            Await.until(PATIENCE, "c2 answers a query for the round's decision", () -> {
                if (f.gate.handed(f.id(4), f.id(2), WireCodec.QUERY) == asked[0]) {
                    asked[0]++;
                    WireTap.forge(f, 4, 2, new WireMessage.DecisionQuery(round, ClusterId.of("c4"), C2, via));
                }
                return !WireTap.recorded(f, 2, 4, WireMessage.DecisionFrame.class,
                        d -> d.round().equals(round) && d.committed()).isEmpty();
            }, () -> f.node(2).statistics());
            assertEquals(0, f.node(2).queueStatistics().get("orders").depth(), "committed elsewhere: not delivered here");
            assertEquals(0, f.node(2).statistics().roundsInDoubt());
        } finally {
            signer.close();
        }
    }

    /** The first number of a round opened at {@code epochMillis}, as coordinators number them (RoundNumbers). */
    private static long number(long epochMillis) {
        return (epochMillis - java.time.Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()) << 20;
    }

    private static WireMessage.Prepare like(WireMessage.Prepare p, RoundId round, long timeoutMillis,
                                            List<ClusterId> via) {
        return new WireMessage.Prepare(round, p.target(), p.messages(), p.digest(), p.terms(), timeoutMillis, via);
    }

    /** Signs on its own thread; while held, keeps what it is given until released. */
    private static final class HeldSigner implements Executor, AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "held-signer");
            t.setDaemon(true);
            return t;
        });
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean holding;

        synchronized void hold() {
            holding = true;
        }

        synchronized void release() {
            holding = false;
            waiting.forEach(thread::execute);
            waiting.clear();
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (holding) {
                waiting.add(task);
            } else {
                thread.execute(task);
            }
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }
}
