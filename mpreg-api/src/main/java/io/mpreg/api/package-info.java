/**
 * The application-facing value types of MPREG: identities of clusters, nodes and messages, the message itself,
 * the per-message delivery guarantee with its options and result, vector clocks for causal delivery, and the
 * vote, digest and threshold types shared by the consensus core and the wire protocol. Every type is immutable
 * and validates its arguments on construction, naming the bad value in the exception message.
 *
 * @since 0.1.0
 */
package io.mpreg.api;
