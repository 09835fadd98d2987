package io.mpreg.federation.internal.wire;

import io.mpreg.api.ClusterId;

/**
 * Proof of origin for what a frame states on a cluster's behalf when it is relayed: link state and queue
 * advertisements (signed once per change of content; refreshes of unchanged content carry the same signature and a
 * higher unsigned refresh number), and acks and nacks that leave their origin through another cluster. Straight from
 * its origin, the link's bound certificate is the proof and nothing is verified again. The bytes signed are
 * {@link SignedContent}'s, under the federation's name.
 */
public interface OriginSeal {
    /** No keys (an insecure node): nothing signed, everything taken. */
    OriginSeal NONE = new OriginSeal() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public byte[] sign(byte[] content) {
            return new byte[0];
        }

        @Override
        public boolean verify(ClusterId origin, byte[] content, byte[] signature) {
            return true;
        }
    };

    /** Whether this node signs, and checks signatures. */
    boolean enabled();

    /** This cluster's signature over {@code content} (empty without keys). */
    byte[] sign(byte[] content);

    /** Whether {@code signature} is {@code origin}'s over {@code content} (always true without keys). */
    boolean verify(ClusterId origin, byte[] content, byte[] signature);
}
