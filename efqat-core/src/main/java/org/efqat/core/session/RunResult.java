package org.efqat.core.session;

import java.nio.file.Path;

/**
 * What {@link ExperimentSession#run()} returns.
 *
 * @param folder the run folder
 * @param metrics everything measured (also in the folder's {@code metrics.json})
 */
public record RunResult(Path folder, RunMetrics metrics) {}
