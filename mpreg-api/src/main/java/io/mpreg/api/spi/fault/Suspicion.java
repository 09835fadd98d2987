package io.mpreg.api.spi.fault;

import io.mpreg.api.ClusterId;

/**
 * A detector names a cluster as faulty, with the evidence.
 *
 * @param suspect  the faulty cluster
 * @param detector the name of the detector that found it
 * @param evidence what proves it
 * @since 0.1.0
 */
public record Suspicion(ClusterId suspect, String detector, Evidence evidence) {
    public Suspicion {
        if (suspect == null || detector == null || detector.isBlank() || evidence == null) {
            throw new IllegalArgumentException("suspicion needs suspect, detector and evidence, got " + suspect + ", "
                    + detector + ", " + evidence);
        }
        if (!evidence.accuses().equals(suspect)) {
            throw new IllegalArgumentException("evidence accuses " + evidence.accuses() + ", not the suspect "
                    + suspect);
        }
    }
}
