package dev.switchboard.spring;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.app.GatewayApi;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.bridge.Bridge;
import dev.switchboard.server.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Switchboard gateway in a Spring Boot application: built from {@code switchboard.*}, with the context's
 * {@link SwitchboardHandler} handlers, {@link LifecycleHooks}, {@link GatewayEvents} listeners, {@link Bridge}s
 * and {@link GatewayCustomizer}s, its meters in the application's {@link MeterRegistry} (besides its own
 * /metrics), started last and drained first with the context. An application's own {@link GatewayConfig} or
 * {@link Gateway} bean replaces the one made here.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(Gateway.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SwitchboardProperties.class)
public class SwitchboardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GatewayConfig switchboardConfig(SwitchboardProperties properties) {
        return GatewayConfigFactory.create(properties);
    }

    @Bean(destroyMethod = "") // closed by its lifecycle, once, after the drain
    @ConditionalOnMissingBean
    Gateway switchboardGateway(GatewayConfig config, ObjectProvider<MeterRegistry> registry,
                               ObjectProvider<LifecycleHooks> hooks, ObjectProvider<GatewayEvents> events,
                               ObjectProvider<Bridge> bridges, ObjectProvider<GatewayCustomizer> customizers,
                               ApplicationContext context) {
        Gateway gateway = new Gateway(config, registry.getIfUnique(() -> null));
        hooks.orderedStream().forEach(gateway::hooks);
        events.orderedStream().forEach(gateway::events);
        bridges.orderedStream().forEach(gateway::bridge);
        HandlerBeans.register(context, gateway);
        customizers.orderedStream().forEach(c -> c.customize(gateway));
        return gateway;
    }

    @Bean
    @ConditionalOnMissingBean
    GatewayLifecycle switchboardLifecycle(Gateway gateway) {
        return new GatewayLifecycle(gateway);
    }

    /** Publish, send, presence, history from application code: the HTTP API's operations, in process. */
    @Bean
    @ConditionalOnMissingBean
    GatewayApi switchboardApi(Gateway gateway) {
        return gateway.api();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("switchboard")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
        SwitchboardHealthIndicator switchboardHealthIndicator(Gateway gateway) {
            return new SwitchboardHealthIndicator(gateway);
        }
    }
}
