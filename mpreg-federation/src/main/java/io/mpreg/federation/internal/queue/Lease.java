package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.VectorClock;

/** A message a {@link LocalQueue} handed to a consumer; {@code receipt} settles it. */
public record Lease(String queue, long receipt, Message message, ClusterId origin, DeliveryGuarantee guarantee,
                    VectorClock clock, int receiveCount) {
}
