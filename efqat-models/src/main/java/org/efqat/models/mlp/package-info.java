/**
 * The {@code mlp} architecture: a flatten layer and three fully connected layers with ReLU between
 * them, the smallest model for smoke tests and quick experiments on small images. The architecture
 * ({@link org.efqat.models.mlp.Mlp}), its options ({@link org.efqat.models.mlp.MlpConfig}) and its
 * provider live together; it depends only on efqat-core's layers and {@link org.efqat.models.init}.
 */
package org.efqat.models.mlp;
