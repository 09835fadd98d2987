/**
 * The fault detection SPI: a detector watches each vote of a round as it arrives and names suspects with
 * evidence that a third party can check. The consensus module provides {@code equivocation}; third parties add
 * others (for example: votes for a digest the voter could not have seen).
 *
 * @since 0.1.0
 */
package io.mpreg.api.spi.fault;
