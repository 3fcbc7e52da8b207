/**
 * The built-in models and datasets of EfQAT, registered as components: architectures in {@link
 * org.efqat.models.mlp}, {@link org.efqat.models.cnn} and {@link org.efqat.models.resnet} (service
 * type {@code org.efqat.core.model.ModelProvider}), dataset components in {@link
 * org.efqat.models.datasets} (service type {@code org.efqat.core.data.DatasetProvider}) over the
 * readers, generators and batching of {@link org.efqat.models.data}, and weight initialization in
 * {@link org.efqat.models.init}. This package holds no classes; it documents the module. Packages
 * depend one way: architectures on {@code init}, dataset components on {@code data}.
 */
package org.efqat.models;
