package io.mpreg.api.spi.fault;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Vote;

import java.util.List;

/**
 * Proof that a cluster misbehaved, made of the votes it sent. Implementations are immutable and check on
 * construction that the votes do prove what they claim, so an instance is proof in itself.
 *
 * @since 0.1.0
 */
public interface Evidence {

    /** The cluster the evidence accuses. */
    ClusterId accuses();

    /** The votes that prove it, in the order they arrived. */
    List<Vote> votes();

    /** One line a human reads in a log or a report. */
    String describe();
}
