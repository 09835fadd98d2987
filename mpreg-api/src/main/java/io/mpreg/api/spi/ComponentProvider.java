package io.mpreg.api.spi;

/**
 * The common contract of MPREG's service providers, the classes {@link java.util.ServiceLoader} finds.
 *
 * <p>A provider is cheap and stateless: it has a public no-arg constructor, answers the three questions below
 * without side effects, and does its real work only in {@link #create}. The loader calls {@link #name()},
 * {@link #priority()} and {@link #isAvailable()} from any thread; they must be thread-safe and must not throw.
 * A provider that throws from them is reported and skipped, never fatal to the node.
 *
 * @param <C> the immutable configuration record the component is created from
 * @param <T> the component type
 * @since 0.1.0
 */
public interface ComponentProvider<C, T> {

    /**
     * The provider's unique name: lower case, {@code [a-z0-9-]+}, stable across releases (users select providers
     * by it, for example {@code -Dmpreg.transport=tcp}). Two providers of one SPI with the same name are a
     * configuration error that names both classes.
     */
    String name();

    /** Higher wins when several available providers could serve and none was named; ties are broken by name. */
    default int priority() {
        return 0;
    }

    /**
     * Whether the provider can create components in this JVM (for example: its optional dependencies are present).
     * An unavailable provider is listed but never chosen.
     */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Creates a component. Each call returns a new, independent component.
     *
     * @param config the validated configuration
     * @return the component, never null
     * @throws IllegalArgumentException if the configuration holds values this provider cannot accept; the message
     *                                  names the value
     * @throws io.mpreg.api.MpregException if the component cannot be created for another reason
     */
    T create(C config);
}
