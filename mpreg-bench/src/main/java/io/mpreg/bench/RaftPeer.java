package io.mpreg.bench;

import org.HdrHistogram.Histogram;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The peer library: jgroups-raft, three members on loopback TCP (the same JGroups this project uses), each with an
 * in-memory log, one replicated write per operation through the leader's {@link RaftHandle#setAsync}: latency with
 * one write in flight, throughput with a bounded window of asynchronous writes (its processing queue is bounded).
 */
final class RaftPeer {
    private RaftPeer() {
    }

    /** A state machine that counts the bytes applied (the write itself is what is measured). */
    private static final class Counter implements StateMachine {
        long applied;

        @Override
        public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
            applied += length;
            return null;
        }

        @Override
        public void readContentFrom(DataInput in) throws Exception {
            applied = in.readLong();
        }

        @Override
        public void writeContentTo(DataOutput out) throws Exception {
            out.writeLong(applied);
        }
    }

    static BenchSupport.Measured measure(int bytes, int latencyOps, int throughputOps, int window) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<InetSocketAddress> addresses = List.of(BenchSupport.freeLoopback(), BenchSupport.freeLoopback(),
                BenchSupport.freeLoopback());
        List<String> ids = List.of("A", "B", "C");
        List<RaftHandle> handles = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TCP tcp = new TCP();
                tcp.setBindAddress(loopback);
                tcp.setBindPort(addresses.get(i).getPort());
                tcp.setPortRange(0);
                tcp.setValue("tcp_nodelay", true);
                JChannel ch = new JChannel(tcp, new TCPPING().initialHosts(addresses).portRange(0), new MERGE3(),
                        new FD_ALL3(), new VERIFY_SUSPECT(), new NAKACK2(), new UNICAST3(), new STABLE(),
                        new NO_DUPES(), new GMS().setJoinTimeout(2000).printLocalAddress(false), new UFC(), new FRAG4(), new ELECTION(),
                        new RAFT().members(ids).raftId(ids.get(i))
                                .logClass("org.jgroups.protocols.raft.InMemoryLog")
                                .logPrefix("bench-raft-" + ids.get(i) + "-" + System.nanoTime()),
                        new REDIRECT());
                ch.name(ids.get(i));
                RaftHandle h = new RaftHandle(ch, new Counter());
                handles.add(h);
                ch.connect("bench-raft");
            }
            RaftHandle leader = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (leader == null) {
                for (RaftHandle h : handles) {
                    if (h.isLeader()) {
                        leader = h;
                    }
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("jgroups-raft: no leader after 30 s");
                }
                Thread.sleep(10); // a harness polling an election, not a test
            }
            byte[] payload = new byte[bytes];
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            for (int i = 0; i < latencyOps * 2; i++) {
                long start = System.nanoTime();
                leader.setAsync(payload, 0, payload.length, null).get(30, TimeUnit.SECONDS);
                if (i >= latencyOps) {
                    latency.recordValue(System.nanoTime() - start);
                }
            }
            RaftHandle writer = leader;
            double perSecond = BenchSupport.windowed(throughputOps, window, () -> {
                try {
                    return writer.setAsync(payload, 0, payload.length, null);
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            }, r -> { });
            return new BenchSupport.Measured(latency, perSecond);
        } finally {
            for (RaftHandle h : handles) {
                h.channel().close();
            }
        }
    }
}
