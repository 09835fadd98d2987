package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.MpregException;

/**
 * A round could not be opened: the configuration is refused, no target carries weight, or the engine is full.
 * Carries the reason a delivery built on the round would report.
 *
 * @since 0.1.0
 */
public final class ConsensusException extends MpregException {
    private static final long serialVersionUID = 1L;
    private final AbortReason reason;
    private final String plugin;

    public ConsensusException(AbortReason reason, String message) {
        this(reason, message, null, null);
    }

    private ConsensusException(AbortReason reason, String message, String plugin, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.plugin = plugin;
    }

    /**
     * A plugin (a weighting strategy or a fault detector) failed while a round opened: the round is refused
     * ({@link AbortReason#REJECTED}) with a message naming the plugin and what it threw.
     *
     * @param kind   what the plugin is ("weighting strategy", "fault detector")
     * @param plugin the plugin's class
     * @param round  the round that could not open
     * @param cause  what it threw
     * @return the exception to throw
     * @since 0.3.0
     */
    public static ConsensusException pluginFailed(String kind, Class<?> plugin, io.mpreg.api.RoundId round,
                                                  RuntimeException cause) {
        return new ConsensusException(AbortReason.REJECTED, kind + " " + plugin.getName() + " failed opening round "
                + round + ": " + cause, plugin.getName(), cause);
    }

    /** The class name of the plugin that failed, or null when the refusal is not a plugin's failure (since 0.3.0). */
    public String plugin() {
        return plugin;
    }

    /** The reason to report to the sender. */
    public AbortReason reason() {
        return reason;
    }
}
