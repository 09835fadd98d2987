package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What other nodes say they store: their queue advertisements, kept per origin node by (version, refresh) number (a
 * newer one replaces, and so withdraws, what an older one listed) until their TTL runs out. New content is taken only
 * with its origin's signature ({@link OriginSeal}); a refresh only with the content and signature already known.
 * Loop-thread only.
 */
public final class Advertisements {
    /** The longest TTL taken from an advertisement. */
    private static final long MAX_TTL_MILLIS = 3_600_000L;

    private final NodeId self;
    private final OriginSeal seal;
    private final Runnable refused;
    private final Map<NodeId, Advertised> byOrigin = new HashMap<>();

    /** Another node's advertisement and when it expires. */
    private record Advertised(WireMessage.QueueAds ads, long expiresAt) {
        List<WireMessage.QueueAd> queues() {
            return ads.queues();
        }
    }

    /** Advertisements checked with {@code seal}; one refused for want of its origin's signature is reported. */
    public Advertisements(NodeId self, OriginSeal seal, Runnable refused) {
        this.self = self;
        this.seal = seal;
        this.refused = refused;
    }

    /**
     * Takes another node's advertisement at {@code now}, {@code direct} from its origin node (proven by the link's
     * certificate) or relayed (proven by its signature); true if it was new (to be flooded on).
     */
    public boolean accept(WireMessage.QueueAds ads, long now, boolean direct) {
        if (ads.origin().equals(self) || ads.ttlMillis() <= 0) {
            return false;
        }
        Advertised known = byOrigin.get(ads.origin());
        if (known != null && known.ads().version() > ads.version()) {
            return false;
        }
        if (known != null && known.ads().version() == ads.version()) {
            if (!known.ads().sameContent(ads)) {
                if (!seal.verify(ads.origin().cluster(), SignedContent.content(ads), ads.signature())) {
                    refused.run();
                }
                return false;
            }
            if (known.ads().sequence() >= ads.sequence()) {
                return false;
            }
        } else if (!direct && !seal.verify(ads.origin().cluster(), SignedContent.content(ads), ads.signature())) {
            refused.run();
            return false;
        }
        long ttl = Math.min(ads.ttlMillis(), MAX_TTL_MILLIS) * 1_000_000L;
        byOrigin.put(ads.origin(), new Advertised(ads, now + ttl));
        return true;
    }

    /** Forgets the advertisements expired at {@code now}; true if any was. */
    public boolean expire(long now) {
        return byOrigin.values().removeIf(a -> a.expiresAt() <= now);
    }

    /** Each queue of another cluster matching {@code pattern}, advertised and not expired at {@code now}. */
    public void matching(QueuePattern pattern, long now, Consumer<QueueInfo> out) {
        byOrigin.forEach((origin, a) -> {
            if (a.expiresAt() > now && !origin.cluster().equals(self.cluster())) {
                a.queues().stream().filter(ad -> pattern.matches(ad.name()))
                        .forEach(ad -> out.accept(new QueueInfo(origin.cluster(), ad.name(), ad.type())));
            }
        });
    }
}
