package io.mpreg.it.sim;

import io.mpreg.api.NodeId;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.mpreg.it.sim.Simulation.millis;

/**
 * The faults of a run, in the shapes of Jepsen's nemeses, drawn from the seed: partitions (isolate one node, split
 * into majority and minority, an overlapping-majorities ring, a bridge node between two halves), heals, node crashes
 * with a restart (the node loses everything it held in memory), pauses, and wall-clock jumps. Each fault is described
 * in the run's shape line.
 *
 * @since 0.3.0
 */
final class Nemesis {
    private final Simulation sim;
    private final SimNetwork network;
    private final List<SimRun.SimNode> nodes;
    private final StringBuilder log;
    private boolean stopped;

    Nemesis(Simulation sim, SimNetwork network, List<SimRun.SimNode> nodes, StringBuilder log) {
        this.sim = sim;
        this.network = network;
        this.nodes = nodes;
        this.log = log;
    }

    /** Schedules faults at random intervals in [from, to). */
    void schedule(long from, long to) {
        long t = from;
        while (true) {
            t += millis(300 + sim.random().nextInt(1_200));
            if (t >= to) {
                return;
            }
            sim.after(t - sim.now(), "nemesis", this::strike);
        }
    }

    /** No fault from now on (a scheduled restart still happens). */
    void stop() {
        stopped = true;
    }

    private void strike() {
        if (stopped) {
            return;
        }
        SplittableRandom r = sim.random();
        List<NodeId> ids = new ArrayList<>(nodes.stream().map(n -> n.id).toList());
        int kind = r.nextInt(8);
        String what;
        switch (kind) {
            case 0 -> {
                network.healAll();
                what = "heal";
            }
            case 1 -> {
                NodeId alone = ids.get(r.nextInt(ids.size()));
                network.healAll();
                ids.stream().filter(n -> !n.equals(alone)).forEach(n -> network.cut(alone, n));
                what = "isolate " + alone;
            }
            case 2 -> {
                List<NodeId> order = shuffle(ids, r);
                List<NodeId> minority = order.subList(0, order.size() / 2);
                network.healAll();
                for (NodeId a : minority) {
                    order.subList(order.size() / 2, order.size()).forEach(b -> network.cut(a, b));
                }
                what = "split off " + minority;
            }
            case 3 -> {
                List<NodeId> ring = shuffle(ids, r);
                network.healAll();
                int n = ring.size();
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        int d = Math.min(j - i, n - (j - i));
                        if (d > 1) {
                            network.cut(ring.get(i), ring.get(j));
                        }
                    }
                }
                what = "ring " + ring;
            }
            case 4 -> {
                List<NodeId> order = shuffle(ids, r);
                NodeId bridge = order.get(0);
                List<NodeId> rest = order.subList(1, order.size());
                int half = rest.size() / 2;
                network.healAll();
                for (NodeId a : rest.subList(0, half)) {
                    rest.subList(half, rest.size()).forEach(b -> network.cut(a, b));
                }
                what = "bridge " + bridge + " between " + rest.subList(0, half) + " and "
                        + rest.subList(half, rest.size());
            }
            case 5 -> {
                List<SimRun.SimNode> up = nodes.stream().filter(x -> x.running).toList();
                if (up.size() < 2) {
                    return;
                }
                SimRun.SimNode victim = up.get(r.nextInt(up.size()));
                long down = millis(300 + r.nextInt(1_700));
                victim.crash();
                sim.after(down, "nemesis", () -> {
                    if (!victim.running) {
                        victim.start();
                    }
                });
                what = "crash " + victim.id + " for " + down / 1_000_000 + " ms";
            }
            case 6 -> {
                SimRun.SimNode victim = nodes.get(r.nextInt(nodes.size()));
                long pause = millis(100 + r.nextInt(1_400));
                if (victim.running) {
                    victim.loop.pause(pause);
                }
                what = "pause " + victim.id + " for " + pause / 1_000_000 + " ms";
            }
            default -> {
                SimRun.SimNode victim = nodes.get(r.nextInt(nodes.size()));
                long jump = millis(r.nextInt(10_001) - 5_000);
                victim.clock.jump(jump);
                what = "clock of " + victim.id + " jumps " + jump / 1_000_000 + " ms";
            }
        }
        log.append("; ").append(sim.now() / 1_000_000).append(" ms ").append(what);
    }

    static List<NodeId> shuffle(List<NodeId> ids, SplittableRandom r) {
        List<NodeId> out = new ArrayList<>(ids);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            NodeId t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
