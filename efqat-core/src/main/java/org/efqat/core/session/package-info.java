/**
 * Experiments as a library: {@link org.efqat.core.session.Sessions#open} (the composition root)
 * builds an {@link org.efqat.core.session.ExperimentSession} that runs the stages (pretrain or
 * load, PTQ, EfQAT, evaluate) in a {@link org.efqat.core.session.RunFolder}, resumes from the last
 * completed stage or mid-stage checkpoint, and reports typed {@link
 * org.efqat.core.session.RunMetrics}. The command line, {@code bench}, {@code compare} and tests
 * all drive experiments through it.
 */
package org.efqat.core.session;
