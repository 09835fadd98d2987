/**
 * Where a node keeps what must survive a crash: {@link io.mpreg.federation.storage.Disk}, a folder of files the
 * node's write-ahead log lives in. {@link io.mpreg.federation.storage.FileDisk} is a real directory
 * ({@code FederationNodeBuilder.dataDirectory}); a simulator gives a node a {@code Disk} of its own that loses unsynced
 * writes on a crash ({@code FederationNodeBuilder.disk}). The log's format and its recovery rules belong to the node;
 * a {@code Disk} only stores bytes.
 */
package io.mpreg.federation.storage;
