package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.spi.transport.TransportConfig;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the JGroups channel: parses the stack XML (built-in or the user's), then writes MPREG's settings into the
 * parsed protocol configurations before any protocol is created, so the XML never needs system properties.
 */
final class Stack {
    /** The built-in stack, next to this class in the module. */
    static final String BUILT_IN = "mpreg-jgroups.xml";
    /**
     * Largest message JGroups' TCP accepts off the wire. With FRAG4 every message is a fragment of at most 60 000
     * bytes and bundles are at most 64 000, so anything bigger is garbage or an attack.
     */
    static final int WIRE_MAX_LENGTH = 256 * 1024;

    private Stack() {
    }

    static JChannel channel(TransportConfig config, JGroupsOptions options) throws Exception {
        XmlConfigurator xml;
        try (InputStream in = options.stack() == null ? Stack.class.getResourceAsStream(BUILT_IN)
                : Files.newInputStream(options.stack())) {
            if (in == null) {
                throw new IOException("built-in stack " + BUILT_IN + " missing from the jgroups plugin");
            }
            xml = XmlConfigurator.getInstance(in);
        }
        List<ProtocolConfiguration> protocols = xml.getProtocolStack();
        String source = options.stack() == null ? BUILT_IN : options.stack().toString();
        Map<String, String> tcp = find(protocols, "TCP", source).getProperties();
        tcp.put("bind_addr", config.bindAddress().getAddress().getHostAddress());
        tcp.put("bind_port", String.valueOf(config.bindAddress().getPort()));
        tcp.put("port_range", "0");
        tcp.put("max_length", String.valueOf(WIRE_MAX_LENGTH));
        tcp.put("diag.enabled", String.valueOf(options.diagnostics()));
        tcp.putAll(options.tls());

        List<String> hosts = new ArrayList<>();
        hosts.add(host(config.bindAddress()));
        config.peers().values().forEach(a -> hosts.add(host(a)));
        Map<String, String> ping = find(protocols, "TCPPING", source).getProperties();
        ping.put("initial_hosts", String.join(",", hosts));
        ping.put("port_range", "0");

        Map<String, String> fd = find(protocols, "FD_ALL3", source).getProperties();
        fd.put("interval", String.valueOf(config.heartbeatInterval().toMillis()));
        fd.put("timeout", String.valueOf(config.failureTimeout().toMillis()));
        return new JChannel(xml);
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + "[" + address.getPort() + "]";
    }

    private static ProtocolConfiguration find(List<ProtocolConfiguration> protocols, String name, String source) {
        for (ProtocolConfiguration p : protocols) {
            if (p.getProtocolName().equals(name) || p.getProtocolName().endsWith("." + name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("JGroups stack " + source + " has no " + name
                + " protocol; the jgroups plugin needs TCP, TCPPING and FD_ALL3");
    }
}
