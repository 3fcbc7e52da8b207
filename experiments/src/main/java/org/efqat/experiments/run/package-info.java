/**
 * {@code efqat run}: the stages pretrain → PTQ → EfQAT of one experiment, with its run folder
 * (resolved config, provenance, metrics, checkpoints), written atomically and resumable.
 */
package org.efqat.experiments.run;
