package org.efqat.core.data;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of datasets ({@code data.dataset} in an experiment, for example {@code
 * fashion-mnist-sample} or {@code {type: fashion-mnist, path: /data/fmnist}}). Listed in {@code
 * META-INF/services/org.efqat.core.data.DatasetProvider}; built-ins live in efqat-models.
 *
 * @param <C> the config record (where the files are, generator options)
 */
public interface DatasetProvider<C extends Record> extends ComponentProvider<Dataset, C> {}
