/**
 * Datasets for EfQAT experiments: readers, a synthetic task, a locator and a mini-batch iterator.
 *
 * <h2>Layout and units</h2>
 *
 * <ul>
 *   <li>An {@link org.efqat.models.data.ImageDataset} holds {@code N} images as one {@code float}
 *       array in <b>NHWC</b> order (sample, row, column, channel; channel fastest), pixel values
 *       as raw intensities scaled to {@code [0, 1]} ({@code byte / 255}), and one {@code int}
 *       label in {@code [0, classes)} per image.
 *   <li>Normalization ({@link org.efqat.models.data.Normalization}) and augmentation ({@link
 *       org.efqat.models.data.Augmentation}) are not applied to the stored data; {@link
 *       org.efqat.models.data.BatchIterator} applies them on the fly while it fills a reusable
 *       NHWC batch buffer.
 * </ul>
 *
 * <h2>Sources</h2>
 *
 * <ul>
 *   <li>{@link org.efqat.models.data.IdxReader}: MNIST and Fashion-MNIST IDX files, plain or
 *       gzip (recognised by content, not by name).
 *   <li>{@link org.efqat.models.data.Cifar10Reader}: the CIFAR-10 binary batches (CHW records,
 *       transposed to NHWC on reading).
 *   <li>{@link org.efqat.models.data.SyntheticDataset}: a seeded toy task (class templates plus
 *       noise).
 *   <li>{@link org.efqat.models.data.DatasetLocator}: resolves the names {@code
 *       fashion-mnist-sample} (bundled with this module), {@code fashion-mnist}, {@code mnist},
 *       {@code cifar10} and {@code synthetic} to a {@link org.efqat.models.data.TrainTestSplit}.
 * </ul>
 *
 * <p>Everything random takes a {@link java.util.SplittableRandom} (or a seed) from the caller, so
 * a run is reproduced by its seed. Problems with files throw {@link
 * org.efqat.models.data.DatasetException} with a one-line message naming the file.
 */
package org.efqat.models.data;
