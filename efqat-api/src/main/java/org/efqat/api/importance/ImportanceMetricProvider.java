package org.efqat.api.importance;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of importance metrics: list implementations in {@code
 * META-INF/services/org.efqat.api.importance.ImportanceMetricProvider}.
 *
 * @param <C> the config record
 */
public interface ImportanceMetricProvider<C extends Record>
    extends ComponentProvider<ImportanceMetric, C> {}
