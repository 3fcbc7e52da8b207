/**
 * {@code efqat sweep}: the console listener, the local process pool of {@code --jobs} and the Slurm
 * submission of {@code --slurm}.
 */
package org.efqat.experiments.sweep;
