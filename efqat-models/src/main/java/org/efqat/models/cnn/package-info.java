/**
 * The {@code cnn} architecture: a small VGG-style convolutional network (three conv-BatchNorm-ReLU
 * stages, max pooling, global average pooling, one linear classifier), a cheap convolutional model
 * between the MLP and the ResNets. The architecture ({@link org.efqat.models.cnn.SmallCnn}), its
 * options and its provider live together; it depends only on efqat-core's layers and {@link
 * org.efqat.models.init}.
 */
package org.efqat.models.cnn;
