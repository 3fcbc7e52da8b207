package org.efqat.core.session;

import java.nio.file.Path;

/**
 * Finished stages that a run takes from other run folders instead of computing them: a sweep's
 * points share one FP model and one PTQ calibration per distinct configuration of those stages. The
 * session copies the stage's metrics, links (or copies) its checkpoint into its own folder and
 * records the stage as reused; a stage the run folder already completed is never taken again.
 *
 * @param fp a run folder whose FP stage completed ({@code fp.safetensors}), or {@code null}
 * @param ptq a run folder whose PTQ stage completed ({@code ptq.safetensors}, and its FP stage), or
 *     {@code null}
 */
public record SharedStages(Path fp, Path ptq) {
  /** Nothing shared. */
  public static final SharedStages NONE = new SharedStages(null, null);
}
