/**
 * The built-in dataset components ({@code data.dataset} in an experiment), one provider per
 * dataset: {@code fashion-mnist-sample} (bundled), {@code fashion-mnist}, {@code mnist} and {@code
 * cifar10} (read from a folder, {@link org.efqat.models.datasets.FolderConfig}), and the generated
 * {@code synthetic} and {@code random-images}, and the text data sets {@code
 * wordnet-supersenses-sample}, {@code wordnet-supersenses} and the generated {@code random-tokens}.
 * Each provider knows its own normalization and where its files may be; creating a dataset does no
 * I/O, {@code load()} reads or generates it into an {@link org.efqat.models.data.ImageDataSplit} or
 * a {@link org.efqat.models.text.TextDataSplit}. Built from the mechanics of {@link
 * org.efqat.models.data}, which does not depend on this package.
 */
package org.efqat.models.datasets;
