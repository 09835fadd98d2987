package io.mpreg.federation.internal.delivery;

import io.mpreg.api.ClusterId;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.BatchSigner;
import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.link.Router;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The ACKs and NACKs this cluster sends back to senders: straight over the link when the sender's cluster is linked
 * here (the link's certificate proves who answers), else sealed by this cluster, so no relay can answer in its name;
 * the answers waiting meanwhile share one signature, made off the loop ({@link io.mpreg.api.MerkleSeal}).
 * Loop-thread only.
 */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    /** Answers signed with one signature at most (a seal of a 128-answer batch is 293 bytes). */
    static final int SIGNED_TOGETHER = 128;

    private final NodeSettings settings;
    private final Counters counters;
    private final Router router;
    private final Links network;
    private final ClusterId self;
    private final BatchSigner<WireMessage.Routed, byte[]> signer;

    Answers(NodeSettings settings, EventLoop loop, Counters counters, Router router, Links network) {
        this.settings = settings;
        this.counters = counters;
        this.router = router;
        this.network = network;
        this.self = settings.node().cluster();
        this.signer = new BatchSigner<>(loop, settings.signer(), settings.batching() ? SIGNED_TOGETHER : 1,
                this::sealAll, this::sealed, (n, e) -> LOG.error("{}: could not sign {} answers; they are not sent "
                + "(their senders retry)", settings.node(), n, e));
    }

    /** Sends {@code answer} (an ACK or a NACK) toward its destination, sealed first if it goes through a relay. */
    void reply(WireMessage.Routed answer) {
        if (settings.signing().originSeal().enabled() && !answer.destination().equals(self)
                && router.gateway(answer.destination()) == null) {
            signer.add(answer);
            return;
        }
        send(answer);
    }

    private void send(WireMessage.Routed answer) {
        if (!network.sendToward(answer)) {
            counters.noRoute.increment(); // the sender retries; its retry gets a fresh reply
        }
    }

    /** Seals of {@code answers} under one signature of this cluster's (on the signer). */
    private List<byte[]> sealAll(List<WireMessage.Routed> answers) {
        List<byte[]> contents = new ArrayList<>(answers.size());
        for (WireMessage.Routed a : answers) {
            contents.add(a instanceof WireMessage.Ack ack ? SignedContent.content(ack)
                    : SignedContent.content((WireMessage.Nack) a));
        }
        return settings.signing().originSeal().signAll(contents);
    }

    private void sealed(WireMessage.Routed answer, byte[] seal) {
        if (seal != null) {
            send(answer instanceof WireMessage.Ack a ? a.signed(seal) : ((WireMessage.Nack) answer).signed(seal));
        }
    }
}
