package io.mpreg.federation;

import io.mpreg.api.MpregException;
import io.mpreg.api.spi.ComponentProvider;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The providers of one SPI, found defensively: a provider that cannot be instantiated or answers badly is
 * reported and skipped; two providers with one name are a hard error naming both classes. Providers are ordered by
 * priority (higher first), then by name. Discovery is not activation: {@link #select} picks one by name,
 * {@link #best} the highest-priority available one.
 *
 * @param <P> the provider interface
 * @since 0.1.0
 */
public final class ProviderRegistry<P extends ComponentProvider<?, ?>> {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final Class<P> spi;
    private final List<P> providers;
    private final List<String> problems;

    private ProviderRegistry(Class<P> spi, List<P> providers, List<String> problems) {
        this.spi = spi;
        this.providers = List.copyOf(providers);
        this.problems = List.copyOf(problems);
    }

    /** The transport plugins on the module path or class path. */
    public static ProviderRegistry<TransportProvider> transports() {
        return fromServiceLoader(TransportProvider.class, ServiceLoader.load(TransportProvider.class));
    }

    /** The weighting strategy plugins. */
    public static ProviderRegistry<WeightingStrategyProvider> weightingStrategies() {
        return fromServiceLoader(WeightingStrategyProvider.class, ServiceLoader.load(WeightingStrategyProvider.class));
    }

    /** The fault detector plugins. */
    public static ProviderRegistry<FaultDetectorProvider> faultDetectors() {
        return fromServiceLoader(FaultDetectorProvider.class, ServiceLoader.load(FaultDetectorProvider.class));
    }

    private static <P extends ComponentProvider<?, ?>> ProviderRegistry<P> fromServiceLoader(Class<P> spi,
                                                                                            ServiceLoader<P> loader) {
        List<Supplier<? extends P>> suppliers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        var iterator = loader.stream().iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                ServiceLoader.Provider<P> provider = iterator.next();
                suppliers.add(provider::get);
            } catch (java.util.ServiceConfigurationError e) {
                problems.add(report(spi, "a provider could not be listed: " + e.getMessage()));
            }
        }
        return of(spi, suppliers, problems);
    }

    /**
     * A registry of explicitly given providers (for builders that accept providers directly, and for tests).
     *
     * @throws MpregException if two providers share a name
     */
    public static <P extends ComponentProvider<?, ?>> ProviderRegistry<P> of(Class<P> spi,
                                                                            List<Supplier<? extends P>> suppliers) {
        return of(spi, suppliers, new ArrayList<>());
    }

    private static <P extends ComponentProvider<?, ?>> ProviderRegistry<P> of(Class<P> spi,
                                                                             List<Supplier<? extends P>> suppliers,
                                                                             List<String> problems) {
        Map<String, P> byName = new LinkedHashMap<>();
        for (Supplier<? extends P> supplier : suppliers) {
            P provider;
            String name;
            try {
                provider = supplier.get();
                name = provider.name();
                provider.priority();
                provider.isAvailable();
            } catch (RuntimeException | java.util.ServiceConfigurationError e) {
                problems.add(report(spi, "a provider failed and is skipped: " + e));
                continue;
            }
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(report(spi, provider.getClass().getName() + " has an invalid name '" + name
                        + "' (use [a-z0-9-]) and is skipped"));
                continue;
            }
            P clash = byName.putIfAbsent(name, provider);
            if (clash != null) {
                throw new MpregException("two " + spi.getSimpleName() + "s are named '" + name + "': "
                        + clash.getClass().getName() + " and " + provider.getClass().getName()
                        + "; remove one from the module path or class path");
            }
        }
        List<P> sorted = new ArrayList<>(byName.values());
        sorted.sort(Comparator.comparingInt((P p) -> p.priority()).reversed().thenComparing(ComponentProvider::name));
        return new ProviderRegistry<>(spi, sorted, problems);
    }

    private static String report(Class<?> spi, String problem) {
        LOG.warn("{}: {}", spi.getSimpleName(), problem);
        return problem;
    }

    /** Every provider found, available or not, by priority then name. */
    public List<P> all() {
        return providers;
    }

    /** The problems met while loading, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** The provider named {@code name}, if found. */
    public Optional<P> find(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The provider named {@code name}.
     *
     * @throws MpregException if there is none or it is unavailable; the message lists what was found
     */
    public P select(String name) {
        P provider = find(name).orElseThrow(() -> new MpregException("no " + spi.getSimpleName() + " named '" + name
                + "'; found " + names() + ". Put the plugin's jar on the module path or class path (it must declare "
                + "'provides " + spi.getName() + "' and list its class in META-INF/services/" + spi.getName() + ")"));
        if (!provider.isAvailable()) {
            throw new MpregException(spi.getSimpleName() + " '" + name + "' (" + provider.getClass().getName()
                    + ") is not available in this JVM");
        }
        return provider;
    }

    /**
     * The available provider with the highest priority.
     *
     * @throws MpregException if none is available; the message says what was searched and how to add one
     */
    public P best() {
        return providers.stream().filter(ComponentProvider::isAvailable).findFirst()
                .orElseThrow(() -> new MpregException("no available " + spi.getSimpleName() + " found (found "
                        + names() + "). Add a plugin jar that declares 'provides " + spi.getName()
                        + "' to the module path, or lists its class in META-INF/services/" + spi.getName()
                        + " on the class path"));
    }

    /** The names found, by priority then name. */
    public List<String> names() {
        return providers.stream().map(ComponentProvider::name).collect(Collectors.toList());
    }
}
