/**
 * Training: optimizers that update only the unfrozen rows of row-structured parameters ({@link
 * org.efqat.core.train.Sgd}, {@link org.efqat.core.train.AdamW}), learning-rate schedules on DJL's
 * trackers, and the training loop that re-selects the unfrozen rows every {@code interval} samples
 * ({@link org.efqat.core.train.EfqatTrainer}, DESIGN.md 1.2).
 */
package org.efqat.core.train;
