/**
 * The "jgroups" transport plugin: every gateway of a federation joins one JGroups cluster; views are peers up and
 * down, frames are {@code BytesMessage}s over reliable unicast with flow control. The built-in stack (TCP, TCPPING
 * from the configured peers, MERGE3, FD_SOCK2, FD_ALL3, UNICAST3, UFC, FRAG4) is {@code mpreg-jgroups.xml} in
 * package {@code io.mpreg.transport.jgroups.internal}; the option {@code jgroups.stack} points to another.
 *
 * @since 0.1.0
 */
module io.mpreg.transport.jgroups {
    requires io.mpreg.api;
    requires org.jgroups;
    // JGroups is an automatic module that declares nothing; it needs these at run time
    requires java.xml;
    requires java.management;

    provides io.mpreg.api.spi.transport.TransportProvider
            with io.mpreg.transport.jgroups.internal.JGroupsTransportProvider;
}
