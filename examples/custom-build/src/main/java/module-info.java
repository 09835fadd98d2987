/**
 * An application that runs a small federation: MPREG's federation module, and its tcp transport found at run time
 * through the federation's ServiceLoader lookup (the transport is on the module path; nothing here names it in code).
 */
module com.example.orders {
    requires io.mpreg.federation;
}
