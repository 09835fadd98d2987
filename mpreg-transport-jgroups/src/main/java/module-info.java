/**
 * The "jgroups" transport plugin (skeleton: its provider arrives with its own issue). Depends on the API alone;
 * nothing depends on it at compile time.
 *
 * @since 0.1.0
 */
module io.mpreg.transport.jgroups {
    requires io.mpreg.api;
}
