package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.queue.QueueStatistics;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** A node's figures as its JMX MXBean ({@code io.mpreg:type=FederationNode,node="c1/gw"}); empty once it is closed. */
final class NodeManagement implements FederationNodeMXBean {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeManagement.class);
    private final Counters counters;
    private final Supplier<Map<String, QueueStatistics>> queues;
    private final Supplier<Map<ClusterId, LinkStatus>> links;
    private final Supplier<Integer> inDoubt;

    NodeManagement(Counters counters, Supplier<Map<String, QueueStatistics>> queues,
                   Supplier<Map<ClusterId, LinkStatus>> links, Supplier<Integer> inDoubt) {
        this.counters = counters;
        this.queues = queues;
        this.links = links;
        this.inDoubt = inDoubt;
    }

    @Override
    public long getMessagesSent() {
        return counters.sent();
    }

    @Override
    public long getMessagesSucceeded() {
        return counters.succeeded();
    }

    @Override
    public long getFailedFederationAttempts() {
        return counters.failed();
    }

    @Override
    public long getRetries() {
        return counters.retries();
    }

    @Override
    public long getMessagesDelivered() {
        return counters.delivered();
    }

    @Override
    public long getDuplicatesDropped() {
        return counters.duplicates();
    }

    @Override
    public long getMessagesRefused() {
        return counters.refused();
    }

    @Override
    public long getFramesRelayed() {
        return counters.relayed();
    }

    @Override
    public long getFramesUndecodable() {
        return counters.undecodable();
    }

    @Override
    public long getFramesReplayed() {
        return counters.replayed();
    }

    @Override
    public long getFramesStale() {
        return counters.stale();
    }

    @Override
    public long getVotesRejected() {
        return counters.votesRejected();
    }

    @Override
    public long getForgeriesRefused() {
        return counters.forgeriesRefused.sum();
    }

    @Override
    public long getPreparesRefused() {
        return counters.preparesRefused.sum();
    }

    @Override
    public long getBatchFrames() {
        return counters.batchesSent.sum();
    }

    @Override
    public long getBatchedMessages() {
        return counters.batchedMessages.sum();
    }

    @Override
    public long getSharedRounds() {
        return counters.sharedRounds.sum();
    }

    @Override
    public long getSharedRoundMessages() {
        return counters.sharedRoundMessages.sum();
    }

    @Override
    public long getTransportCongested() {
        return counters.congested.sum();
    }

    @Override
    public long getSendsRefusedKeptFull() {
        return counters.keptFull.sum();
    }

    @Override
    public long getInboundFull() {
        return counters.inboundFull.sum();
    }

    @Override
    public int getRoundsInDoubt() {
        return inDoubt.get();
    }

    @Override
    public long getAckLatencyP50Micros() {
        return counters.ackLatency(50).toNanos() / 1000;
    }

    @Override
    public long getAckLatencyP99Micros() {
        return counters.ackLatency(99).toNanos() / 1000;
    }

    @Override
    public Map<String, Long> getQueueDepths() {
        Map<String, Long> out = new TreeMap<>();
        queues.get().forEach((n, q) -> out.put(n, (long) q.depth()));
        return out;
    }

    @Override
    public Map<String, Long> getQueueInFlight() {
        Map<String, Long> out = new TreeMap<>();
        queues.get().forEach((n, q) -> out.put(n, (long) q.inFlight()));
        return out;
    }

    @Override
    public long getQueueDeadLettered() {
        return io.mpreg.federation.internal.queue.QueueTotals.of(queues.get().values()).deadLettered();
    }

    @Override
    public long getQueueExpired() {
        return io.mpreg.federation.internal.queue.QueueTotals.of(queues.get().values()).expired();
    }

    @Override
    public Map<String, String> getLinks() {
        Map<String, String> out = new TreeMap<>();
        links.get().forEach((c, s) -> out.put(c.value(), s.name()));
        return out;
    }

    /** Registers {@code bean} as node {@code node}'s MBean; returns its name, or null when it could not be. */
    static ObjectName register(NodeId node, NodeManagement bean) {
        try {
            ObjectName name = new ObjectName("io.mpreg:type=FederationNode,node=" + ObjectName.quote(node.toString()));
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                LOG.warn("{}: an MBean named {} exists already (two nodes with one id in this JVM?); not registered",
                        node, name);
                return null;
            }
            server.registerMBean(bean, name);
            return name;
        } catch (JMException e) {
            LOG.warn("{}: JMX registration failed: {}", node, e.toString());
            return null;
        }
    }

    /** Unregisters what {@link #register} registered (nothing if {@code name} is null). */
    static void unregister(NodeId node, ObjectName name) {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("{}: JMX unregistration failed: {}", node, e.toString());
            }
        }
    }
}
