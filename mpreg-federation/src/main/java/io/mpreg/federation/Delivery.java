package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.VectorClock;

/**
 * A message handed to a subscriber: the message, the cluster that sent it, its guarantee, and for CAUSAL the
 * sender's vector clock at sending.
 *
 * @param message   the message
 * @param origin    the cluster that sent it
 * @param guarantee its delivery guarantee
 * @param clock     the causal clock (CAUSAL), otherwise null
 * @since 0.1.0
 */
public record Delivery(Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock) {
}
