package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which queues exist where: this node advertises its {@link LocalQueues} (flooded, with a TTL of five gossip
 * intervals and a version number that a restart does not reset, signed once per change) and keeps the other nodes'
 * advertisements ({@link Advertisements}); discovery by pattern answers from both. Loop-thread only.
 */
public final class Discovery {
    private final NodeSettings settings;
    private final EventLoop loop;
    private final Links links;
    private final LocalQueues local;
    private final Advertisements advertised;
    private final long leaseNanos;
    private final OriginSeal seal;
    /** This node's advertisement as last signed (null before the first). */
    private WireMessage.QueueAds signed;
    private long adVersion;
    private long adSequence;

    /** Discovery that signs this node's advertisements with {@code seal} and checks the others' (refusals go to
     * {@code refused}). */
    public Discovery(NodeSettings settings, EventLoop loop, Links links, LocalQueues local, OriginSeal seal,
                     Runnable refused) {
        this.settings = settings;
        this.loop = loop;
        this.links = links;
        this.local = local;
        this.leaseNanos = settings.gossipInterval().toNanos() * 5;
        this.adVersion = settings.wallClock().millis() * 1000; // a restarted node's advertisements are newer
        this.seal = seal;
        this.advertised = new Advertisements(settings.node(), seal, refused);
    }

    /** This node's advertisement, with a new refresh number; signed anew only if its queues changed. */
    public WireMessage.QueueAds ownAds() {
        List<WireMessage.QueueAd> ads = new ArrayList<>();
        local.all().forEach(q -> ads.add(new WireMessage.QueueAd(q.name(), q.config().type())));
        long ttl = leaseNanos / 1_000_000;
        if (signed == null || !signed.queues().equals(ads)) {
            WireMessage.QueueAds content = new WireMessage.QueueAds(settings.node(), ++adVersion, 0, ttl,
                    List.copyOf(ads), new byte[0]);
            signed = new WireMessage.QueueAds(settings.node(), adVersion, 0, ttl, content.queues(),
                    seal.sign(SignedContent.content(content)));
        }
        return signed.refreshed(++adSequence);
    }

    /** Sends this node's advertisement to every neighbour. */
    public void advertise() {
        links.flood(ownAds(), null);
    }

    /**
     * Takes another node's advertisement, {@code direct} from its origin or relayed; true if it was new (to be flooded
     * on, and subscriptions re-bound).
     */
    public boolean onAds(WireMessage.QueueAds ads, boolean direct) {
        return advertised.accept(ads, loop.nanoTime(), direct);
    }

    /** Forgets advertisements past their TTL; true if any was. */
    public boolean expire(long now) {
        return advertised.expire(now);
    }

    /** Every queue matching {@code pattern} that this node knows of: its own and those advertised to it. */
    public List<QueueInfo> discover(QueuePattern pattern) {
        SortedSet<QueueInfo> out = new TreeSet<>();
        local.all().stream().filter(q -> pattern.matches(q.name())).forEach(q -> out.add(local.info(q)));
        advertised.matching(pattern, loop.nanoTime(), out::add);
        return List.copyOf(out);
    }

    /** The clusters that hold a queue named {@code name}, as far as this node knows. */
    public SortedSet<ClusterId> owners(String name) {
        SortedSet<ClusterId> out = new TreeSet<>();
        discover(QueuePattern.of(name)).forEach(i -> out.add(i.cluster()));
        return out;
    }
}
