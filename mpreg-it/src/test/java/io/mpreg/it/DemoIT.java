package io.mpreg.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mpreg demo} end to end, in process: real nodes, real transports, the JSON summary line. */
class DemoIT {

    @ParameterizedTest
    @CsvSource({"tcp,global-quorum,3,400,600", "jgroups,global-quorum,3,400,600", "tcp,byzantine-quorum,4,600,800",
            "tcp,at-least-once,3,400,400", "jgroups,broadcast,3,600,600", "tcp,causal,3,600,600",
            "tcp,fire-and-forget,2,200,200", "tcp,global-quorum,1,200,200"})
    void everyMessageReachesItsExpectedOutcome(String transport, String guarantee, int clusters, int fewest,
                                               int most) {
        LauncherRun r = LauncherRun.of("demo", "--transport", transport, "--guarantee", guarantee, "--clusters",
                String.valueOf(clusters), "--messages", "200", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"transport\":\"" + transport + "\",\"clusters\":" + clusters
                + ",\"messages\":200,\"committed\":200,\"aborted\":{},\"byzantineDetected\":0,\"honestFlagged\":0,"
                + "\"evidenceVerified\":0,"),
                json);
        // each message once at each target (c1 to the others for at-least-once and fire-and-forget); a voted one once at
        // each cluster of its certificate, at least a quorum of the targets (2 of 3; 3 of 4 for f = 1)
        assertTrue(json.contains(",\"durable\":true,\"delivered\":") && json.endsWith(",\"receiverViolations\":0}"),
                json);
        assertDelivered(json, fewest, most);
        assertTrue(r.out().contains("OK: 200 of 200 messages"), r.out());
    }

    @Test
    void aTwinIsCaughtAndNoHonestClusterIsFlagged() {
        LauncherRun r = LauncherRun.of("demo", "--byzantine", "1", "--messages", "200", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"transport\":\"tcp\",\"clusters\":3,\"messages\":200,\"committed\":200,"
                + "\"aborted\":{},\"byzantineDetected\":"), json);
        assertTwinCaught(json);
        assertTrue(json.endsWith(",\"receiverViolations\":0}"), json);
        assertDelivered(json, 400, 600); // at the honest clusters of each certificate: 3 of 4, so 2 honest at least
    }

    /**
     * SCENARIOS B1-B7 as a user sees them: a malicious member with valid keys replays frames, sends frames altered in
     * place of real ones and proposes a weight table giving itself the weight; every message still commits and is
     * delivered exactly once where it committed, the honest clusters refuse what it forged and keep their table.
     */
    @Test
    void aMaliciousMemberLiesAndNoneOfItTakes() {
        LauncherRun r = LauncherRun.of("demo", "--malicious", "1", "--messages", "100", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"transport\":\"tcp\",\"clusters\":3,\"messages\":100,\"committed\":100,"
                + "\"aborted\":{},\"byzantineDetected\":0,\"honestFlagged\":0,"), json);
        assertTrue(json.contains(",\"receiverViolations\":0,\"malicious\":1,")
                && json.endsWith(",\"weightsTaken\":0}"), json);
        for (String lie : List.of("replayed", "altered", "refused")) {
            assertTrue(Long.parseLong(json.replaceAll(".*\"" + lie + "\":(\\d+).*", "$1")) > 0, lie + ": " + json);
        }
        assertTrue(r.out().contains("(none of it took)"), r.out());
    }

    /** The launcher issue's acceptance command: a twin over JGroups (whose view holds every member) is caught too. */
    @Test
    void aTwinIsCaughtOverJGroupsInAByzantineQuorum() {
        LauncherRun r = LauncherRun.of("demo", "--transport", "jgroups", "--guarantee", "byzantine-quorum",
                "--clusters", "4", "--byzantine", "1", "--messages", "100", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"transport\":\"jgroups\",\"clusters\":4,\"messages\":100,\"committed\":100,"),
                json);
        assertTwinCaught(json);
        assertTrue(json.endsWith(",\"receiverViolations\":0}"), json);
        assertDelivered(json, 300, 400); // at the honest clusters of each certificate: 4 of 5, so 3 honest at least
    }

    /**
     * The twin was caught (in the rounds where both halves' votes reached c1: not every round, as a half's PREPARE or
     * vote may go round the other half), every fault with a signed proof, no honest cluster accused.
     */
    private static void assertTwinCaught(String json) {
        int detected = Integer.parseInt(json.replaceAll(".*\"byzantineDetected\":(\\d+).*", "$1"));
        assertTrue(detected > 0, "the twin equivocated and was caught: " + json);
        assertTrue(json.contains("\"byzantineDetected\":" + detected + ",\"honestFlagged\":0,\"evidenceVerified\":"
                + detected + ","), "one signed proof for each fault: " + json);
    }

    @Test
    void badOptionsAreOneLineErrorsWithExitCode2() {
        LauncherRun unknown = LauncherRun.of("demo", "--fast");
        assertEquals(2, unknown.code());
        assertEquals("mpreg demo: unknown option '--fast' (see mpreg demo --help)\n", unknown.err());
        LauncherRun bad = LauncherRun.of("demo", "--clusters", "0");
        assertEquals(2, bad.code());
        assertEquals("mpreg demo: --clusters must be in [1, 16], got 0\n", bad.err());
        assertEquals(2, LauncherRun.of("demo", "--guarantee", "maybe").code());
        assertEquals(2, LauncherRun.of("fly").code());
        LauncherRun help = LauncherRun.of("demo", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--guarantee fire-and-forget|at-least-once|broadcast|global-quorum"), help.out());
    }

    /** The demo's "delivered" count lies in [fewest, most] (its receivers check each is where it was committed). */
    private static void assertDelivered(String json, int fewest, int most) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"delivered\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        int delivered = Integer.parseInt(m.group(1));
        assertTrue(delivered >= fewest && delivered <= most, delivered + " not in [" + fewest + ", " + most + "]: "
                + json);
    }
}
