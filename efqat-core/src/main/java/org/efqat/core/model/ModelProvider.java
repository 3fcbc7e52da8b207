package org.efqat.core.model;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of model architectures ({@code model.architecture} in an experiment, for example
 * {@code {type: resnet20, width: 16}}). Listed in {@code
 * META-INF/services/org.efqat.core.model.ModelProvider}; built-ins live in efqat-models.
 *
 * @param <C> the config record (the architecture's options, such as {@code width})
 */
public interface ModelProvider<C extends Record> extends ComponentProvider<ModelArchitecture, C> {}
