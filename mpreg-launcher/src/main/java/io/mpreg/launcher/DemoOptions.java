package io.mpreg.launcher;

import io.mpreg.api.DeliveryGuarantee;

import java.util.List;
import java.util.Locale;

/**
 * The options of {@code mpreg demo}, parsed strictly: an unknown option or a bad value is a one-line error.
 *
 * @param transport  the transport plugin's name (tcp, jgroups, or any other found)
 * @param clusters   how many clusters (one node each), 1 to 16
 * @param messages   how many messages to send, 1 or more
 * @param guarantee  the delivery guarantee of every message
 * @param byzantine  how many extra clusters run as equivocating twins
 * @param malicious  how many extra clusters run as members that replay and alter frames
 * @param json       whether the last line is one JSON object
 */
record DemoOptions(String transport, int clusters, int messages, DeliveryGuarantee guarantee, int byzantine,
                   int malicious, boolean json) {
    static final String USAGE = String.join("\n",
            "usage: mpreg demo [--transport NAME] [--clusters N] [--messages N]",
            "                  [--guarantee fire-and-forget|at-least-once|broadcast|global-quorum|byzantine-quorum|causal]",
            "                  [--byzantine K] [--malicious K] [--json]",
            "",
            "Starts a local federation in this JVM on loopback (default: 3 clusters, tcp, global-quorum, 1000",
            "messages), sends the messages from cluster c1 with the chosen guarantee, shows progress, prints a",
            "summary and exits 0 when every message reached its expected outcome (1 otherwise, 2 for bad options).",
            "  --transport  the transport plugin by name (default tcp; mpreg --help lists those found, plugins on",
            "               MPREG_PLUGIN_PATH among them)",
            "  --clusters   clusters in the federation, one node each, 1 to 16 (default 3)",
            "  --messages   messages to send (default 1000)",
            "  --guarantee  the delivery guarantee (default global-quorum); at-least-once and fire-and-forget go to",
            "               every other cluster, broadcast and the quorums to every cluster, causal to all",
            "  --byzantine  K more clusters run as equivocating twins: two honest nodes sharing one cluster id,",
            "               one reaching c1 (with the queue), one reaching the others (without): they vote both ways",
            "               in voted rounds and are caught (default 0)",
            "  --malicious  K more clusters run as members with valid keys that lie once linked: they replay frames,",
            "               send frames altered near their end (signatures, certificates, answers) in place of the",
            "               real ones, and propose a weight table giving themselves the weight; the summary says",
            "               what they did and that none of it took (default 0; needs --clusters 2K+1 or more, so the",
            "               honest clusters alone hold a two-thirds quorum)",
            "  --json       end with one JSON line: transport, clusters, messages, committed, aborted (by reason),",
            "               byzantineDetected, honestFlagged, evidenceVerified (signed proofs of equivocation",
            "               checked with the accused cluster's public key), p50Micros, p99Micros, perSecond, delivered",
            "               (deliveries at the honest clusters), receiverViolations (0 on success), and with",
            "               --malicious: malicious, replayed, altered, refused (replays, forgeries, undecodable frames",
            "               and rejected votes counted at the honest clusters) and weightsTaken (honest nodes whose",
            "               weight table changed; 0 on success)");

    static DemoOptions parse(List<String> args) {
        String transport = "tcp";
        int clusters = 3;
        int messages = 1000;
        DeliveryGuarantee guarantee = DeliveryGuarantee.GLOBAL_QUORUM;
        boolean json = false;
        int byzantine = 0;
        int malicious = 0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--transport" -> {
                    transport = value(args, ++i, a);
                    if (!transport.matches("[a-z0-9-]{1,64}")) {
                        throw new IllegalArgumentException("--transport takes a plugin name (lower case, for example "
                                + "tcp), got '" + transport + "'");
                    }
                }
                case "--clusters" -> clusters = number(args, ++i, a, 1, 16);
                case "--messages" -> messages = number(args, ++i, a, 1, 10_000_000);
                case "--byzantine" -> byzantine = number(args, ++i, a, 0, 8);
                case "--malicious" -> malicious = number(args, ++i, a, 0, 8);
                case "--guarantee" -> guarantee = guarantee(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (see mpreg demo --help)");
            }
        }
        if (byzantine > 0 && clusters < 2) {
            throw new IllegalArgumentException("--byzantine needs --clusters 2 or more (one half of each twin reaches "
                    + "c1, the other the rest)");
        }
        if (malicious > 0 && clusters < 2 * malicious + 1) {
            throw new IllegalArgumentException("--malicious " + malicious + " needs --clusters " + (2 * malicious + 1)
                    + " or more, so the honest clusters alone hold a two-thirds quorum");
        }
        return new DemoOptions(transport, clusters, messages, guarantee, byzantine, malicious, json);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(List<String> args, int i, String option, int min, int max) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + text + "'");
        }
    }

    private static DeliveryGuarantee guarantee(String text) {
        for (DeliveryGuarantee g : List.of(DeliveryGuarantee.FIRE_AND_FORGET, DeliveryGuarantee.AT_LEAST_ONCE,
                DeliveryGuarantee.BROADCAST, DeliveryGuarantee.GLOBAL_QUORUM, DeliveryGuarantee.BYZANTINE_QUORUM,
                DeliveryGuarantee.CAUSAL)) {
            if (g.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(text)) {
                return g;
            }
        }
        throw new IllegalArgumentException("--guarantee must be fire-and-forget, at-least-once, broadcast, "
                + "global-quorum, byzantine-quorum or causal, got '" + text + "'");
    }
}
