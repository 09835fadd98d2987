package io.mpreg.api;

/**
 * The identity of one node: the cluster it belongs to and its name inside that cluster (same character rules as
 * {@link ClusterId}). Its text form is {@code cluster/name}.
 *
 * @param cluster the cluster the node runs
 * @param name    the node's name, unique inside its cluster
 * @since 0.1.0
 */
public record NodeId(ClusterId cluster, String name) implements Comparable<NodeId> {
    public NodeId {
        if (cluster == null) {
            throw new IllegalArgumentException("node id needs a cluster, got null (name '" + name + "')");
        }
        Identifiers.requireId("node name", name);
    }

    /** Shorthand for {@code new NodeId(ClusterId.of(cluster), name)}. */
    public static NodeId of(String cluster, String name) {
        return new NodeId(ClusterId.of(cluster), name);
    }

    /**
     * Parses the text form {@code cluster/name}.
     *
     * @throws IllegalArgumentException if the text has no single '/' or either part is invalid
     */
    public static NodeId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("node id text must not be null");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("node id '" + text + "' must have the form cluster/name");
        }
        return of(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(NodeId other) {
        int c = cluster.compareTo(other.cluster);
        return c != 0 ? c : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return cluster.value() + "/" + name;
    }
}
