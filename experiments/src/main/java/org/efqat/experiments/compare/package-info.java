/**
 * {@code efqat compare}: one experiment on several backends side by side — accuracies, step times,
 * agreement of logits on identical inputs, and the loss curves.
 */
package org.efqat.experiments.compare;
