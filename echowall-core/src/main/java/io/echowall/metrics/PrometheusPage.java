package io.echowall.metrics;

import io.echowall.Context;
import io.echowall.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The {@code /metrics} page: a Prometheus registry's meters in Prometheus's text format. The only class
 * that needs {@code micrometer-registry-prometheus}, an optional dependency: nothing loads it unless the
 * app asks for the page.
 */
public final class PrometheusPage implements Handler {

    private static final String REGISTRY_CLASS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
    /** The text format's media type (Prometheus exposition format 0.0.4), which every scraper reads. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    private PrometheusPage(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The page for {@code configured}, the app's registry: a Prometheus registry, or a composite holding
     * one; with none (null), a Prometheus registry of the page's own, for the app to use.
     *
     * @throws IllegalStateException if the Prometheus registry is not on the class path, or
     *                               {@code configured} has no Prometheus registry in it
     */
    public static PrometheusPage forRegistry(MeterRegistry configured) {
        try {
            Class.forName(REGISTRY_CLASS, false, PrometheusPage.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError missing) {
            throw new IllegalStateException("the /metrics page needs io.micrometer:micrometer-registry-prometheus "
                    + "on the class path (a module path also needs --add-modules micrometer.registry.prometheus)");
        }
        if (configured == null) {
            return new PrometheusPage(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
        PrometheusMeterRegistry found = find(configured);
        if (found == null) {
            throw new IllegalStateException("the /metrics page shows a Prometheus registry, and the configured "
                    + "MeterRegistry is a " + configured.getClass().getSimpleName() + " without one; configure a "
                    + "PrometheusMeterRegistry (alone or in a CompositeMeterRegistry), or serve your registry yourself");
        }
        return new PrometheusPage(found);
    }

    private static PrometheusMeterRegistry find(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                PrometheusMeterRegistry found = find(member);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The registry the page shows. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void handle(Context ctx) {
        ctx.header("Cache-Control", "no-store").contentType(CONTENT_TYPE).text(registry.scrape());
    }
}
