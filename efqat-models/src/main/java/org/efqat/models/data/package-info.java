/**
 * The mechanics of image datasets, without component names: readers, generators, folder lookup,
 * normalization, augmentation and batching. The dataset components of {@link
 * org.efqat.models.datasets} are built from these pieces.
 *
 * <h2>Layout and units</h2>
 *
 * <ul>
 *   <li>An {@link org.efqat.models.data.ImageDataset} holds {@code N} images as one {@code float}
 *       array in <b>NHWC</b> order (sample, row, column, channel; channel fastest), pixel values as
 *       raw intensities scaled to {@code [0, 1]} ({@code byte / 255}), and one {@code int} label in
 *       {@code [0, classes)} per image.
 *   <li>Normalization ({@link org.efqat.models.data.Normalization}) and augmentation ({@link
 *       org.efqat.models.data.Augmentation}) are not applied to the stored data; {@link
 *       org.efqat.models.data.BatchIterator} applies them on the fly while it fills a reusable NHWC
 *       batch buffer, and {@link org.efqat.models.data.ImageBatches} hands it to the trainer.
 *   <li>{@link org.efqat.models.data.ImageDataSplit} is efqat-core's {@code LoadedDataset} for
 *       images: a {@link org.efqat.models.data.TrainTestSplit} with its normalization, augmentation
 *       and input files.
 * </ul>
 *
 * <h2>Sources</h2>
 *
 * <ul>
 *   <li>{@link org.efqat.models.data.IdxReader} and {@link org.efqat.models.data.IdxFiles}: MNIST
 *       and Fashion-MNIST IDX files, plain or gzip (recognised by content, not by name).
 *   <li>{@link org.efqat.models.data.Cifar10Reader} and {@link org.efqat.models.data.Cifar10Files}:
 *       the CIFAR-10 binary batches (CHW records, transposed to NHWC on reading).
 *   <li>{@link org.efqat.models.data.SyntheticDataset}: a seeded toy task (class templates plus
 *       noise); {@link org.efqat.models.data.RandomImages}: uniform noise for timing.
 *   <li>{@link org.efqat.models.data.DatasetLocator}: finds a dataset's folder from the
 *       experiment's path, an environment variable or a standard folder.
 * </ul>
 *
 * <p>Everything random takes a {@link java.util.SplittableRandom} from the caller, so a run is
 * reproduced by its seed. Problems with files throw {@link org.efqat.models.data.DatasetException}
 * with a one-line message naming the file.
 */
package org.efqat.models.data;
