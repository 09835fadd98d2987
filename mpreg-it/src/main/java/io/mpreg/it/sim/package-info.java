/**
 * Deterministic fault simulation: whole federations of real nodes on one thread and a virtual clock
 * ({@link io.mpreg.it.sim.Simulation}, {@link io.mpreg.it.sim.SimEventLoop}) over a simulated network with seeded
 * faults ({@link io.mpreg.it.sim.SimNetwork}, usable by any node through {@link io.mpreg.it.sim.SimTransportProvider}),
 * a Byzantine twin or a malicious member that forges frames (Liar), coordinators crashing mid-round, a mixed workload
 * and Jepsen-style checkers ({@link io.mpreg.it.sim.SimRun}); the same seed gives the same run, and
 * {@link io.mpreg.it.sim.Seeds#replayCommand} prints the command that replays a failing one.
 *
 * @since 0.3.0
 */
package io.mpreg.it.sim;
