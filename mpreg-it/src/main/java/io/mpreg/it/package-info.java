/**
 * Reusable conformance kits for MPREG plugins. The transport contract kit and the simulated network arrive with
 * their issues; this package is their home.
 *
 * @since 0.1.0
 */
package io.mpreg.it;
