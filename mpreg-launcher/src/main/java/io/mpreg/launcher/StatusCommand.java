package io.mpreg.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code mpreg status URL [--json]}: a node's {@code /statusz}, as tables for a person or as the JSON it is. */
final class StatusCommand {
    static final String USAGE = """
            usage: mpreg status URL [--json]

            Shows the status of a running node from its HTTP endpoint (http.port in its configuration): identity and
            uptime, health, links, routes, weight table, queues, voted rounds, Byzantine faults, refusals and its log,
            a table per section. URL is the node's address (http://127.0.0.1:9101) or its /statusz.
              --json   print the document as the node sent it
            Exit codes: 0 the node serves, 1 it does not (or could not be reached), 2 bad command line.""";

    private StatusCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        boolean json = args.contains("--json");
        List<String> rest = args.stream().filter(a -> !a.equals("--json")).toList();
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            err.println("mpreg status: give one URL (and optionally --json), got " + args + "\n" + USAGE);
            return 2;
        }
        URI uri;
        try {
            uri = URI.create(rest.get(0));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
                uri = uri.resolve("/statusz");
            }
        } catch (IllegalArgumentException e) {
            err.println("mpreg status: '" + rest.get(0) + "' is not a node's URL (" + e.getMessage()
                    + "); for example http://127.0.0.1:9101");
            return 2;
        }
        String body;
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                err.println("mpreg status: " + uri + " answered " + r.statusCode());
                return 1;
            }
            body = r.body();
        } catch (IOException e) {
            err.println("mpreg status: cannot reach " + uri + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        Map<String, Object> doc;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) Json.parse(body);
            doc = parsed;
        } catch (IllegalArgumentException | ClassCastException e) {
            err.println("mpreg status: " + uri + " did not answer a status document: " + e.getMessage());
            return 1;
        }
        out.print(json ? body : Status.render(doc));
        Object health = doc.get("health");
        return health instanceof Map<?, ?> h && Boolean.TRUE.equals(h.get("serving")) ? 0 : 1;
    }
}
