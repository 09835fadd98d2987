package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueuePattern;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of {@code mpreg node}: a properties file, validated whole, every problem named with its key.
 *
 * <pre>
 * federation = demo                 # required: the federation's name
 * cluster = c1                      # required: this node's cluster id
 * node = gw                         # this node's name in its cluster (default gw)
 * listen = 127.0.0.1:7101           # required: host:port to listen on
 * peers = c2/gw@127.0.0.1:7102, c3/gw@127.0.0.1:7103   # the gateways to link with (none: a federation of one)
 * transport = tcp                   # a transport plugin's name: tcp, jgroups or another found on the module path
 *                                   # (default: the best available plugin)
 * weights = c1:1, c2:1, c3:1        # the weight table (default: 1 for this cluster and every peer's)
 * weights.version = 1               # its version (default 1)
 * gossipInterval = 1s               # link-state and advertisement refresh (default 1s)
 * defaultTimeout = 30s              # timeout of sends that leave it to the node (default: derived)
 * http.port = 9101                  # serve Prometheus text at http://http.address:http.port/metrics (default: off)
 * http.address = 127.0.0.1          # (default 127.0.0.1)
 * consume = orders*                 # log (and acknowledge) every message of the matching queues (optional)
 * consume.scope = federation        # federation: matching queues anywhere (default); local: this cluster's only
 * queue.orders = fifo               # a local queue: fifo or priority, then its settings:
 * queue.orders.capacity = 10000     #   capacity, visibilityTimeout, maxReceives, deadLetterQueue,
 * queue.orders.visibilityTimeout = 30s  # dedupWindow, defaultDelay, messageTtl
 * tls = true                        # transport plugin options: tls, tls.*, tcp.*, jgroups.* and TRANSPORT.* (the
 *                                   # keys prefixed with the configured plugin's name) pass through
 * tls.keyStore = c1.p12
 * vote.privateKey = keys/c1.key     # this cluster's Ed25519 vote key (PEM; mpreg keys makes one)
 * vote.publicKey.c2 = keys/c2.pub   # every cluster's public key, this one's too
 * evidence.dir = evidence           # write each proof of equivocation found here (optional)
 * data.dir = data/c1-gw             # the node's write-ahead log (default data/CLUSTER-NODE; "memory": keep nothing)
 * insecure = true                   # allow plaintext links and unsigned votes (default false: refused)
 * </pre>
 * Durations are {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT2S}).
 *
 * @param file             where it came from (for messages)
 * @param federation       the federation's name
 * @param node             this node
 * @param listen           where to listen
 * @param peers            the gateways to link with
 * @param transport        the transport plugin's name, or null for the best available
 * @param weights          the weight table
 * @param weightsVersion   its version
 * @param gossipInterval   the gossip interval
 * @param defaultTimeout   the default send timeout, or null to derive it
 * @param httpAddress      where to serve metrics, or null for none
 * @param consume          the pattern to consume and log, or null
 * @param consumeLocal     whether {@code consume} takes from this cluster's queues only (else from every matching
 *                         queue of the federation)
 * @param queues           the local queues to create
 * @param transportOptions options for the transport plugin
 * @param insecure         whether plaintext links and unsigned votes are allowed
 * @param votePrivateKey   this cluster's vote key file, or null
 * @param votePublicKeys   each cluster's public vote key file
 * @param evidenceDir      where to write equivocation evidence, or null
 * @param dataDir          where the node keeps its state, or null to run in memory
 */
public record NodeConfig(Path file, String federation, NodeId node, InetSocketAddress listen,
                         Map<NodeId, InetSocketAddress> peers, String transport, Map<ClusterId, Long> weights,
                         long weightsVersion, Duration gossipInterval, Duration defaultTimeout,
                         InetSocketAddress httpAddress, String consume, boolean consumeLocal,
                         List<QueueConfig> queues,
                         Map<String, String> transportOptions, boolean insecure, Path votePrivateKey,
                         Map<ClusterId, Path> votePublicKeys, Path evidenceDir, Path dataDir) {

    /** The value of {@code data.dir} that runs the node in memory. */
    public static final String IN_MEMORY = "memory";

    /** A configuration file that cannot be used; the message lists every problem, one per line. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Reads and validates {@code file}. */
    public static NodeConfig load(Path file) throws ConfigException {
        return NodeConfigParser.load(file);
    }
}
