package io.mpreg.federation.internal.wire;

import io.mpreg.api.ClusterId;

/**
 * Proof of origin for what a frame states on a cluster's behalf when it is relayed: link state and queue
 * advertisements (signed once per change of content; refreshes of unchanged content carry the same signature and a
 * higher unsigned refresh number), and acks and nacks that leave their origin through another cluster (signed in
 * batches: each carries a {@link io.mpreg.api.MerkleSeal seal} of one signature shared by its batch). Straight from
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
        public java.util.List<byte[]> signAll(java.util.List<byte[]> contents) {
            return contents.stream().map(c -> new byte[0]).toList();
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

    /**
     * This cluster's seals over {@code contents}, one signature for all of them ({@link io.mpreg.api.MerkleSeal}): a
     * lone content gets a plain signature, as {@link #sign} gives. Empty seals without keys.
     */
    java.util.List<byte[]> signAll(java.util.List<byte[]> contents);

    /**
     * Whether {@code signature} is {@code origin}'s over {@code content}, alone or as a seal from {@link #signAll}
     * (always true without keys).
     */
    boolean verify(ClusterId origin, byte[] content, byte[] signature);
}
