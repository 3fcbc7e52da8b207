/**
 * {@code efqat report}: the study report of a sweep folder or a folder of runs. {@link
 * org.efqat.experiments.report.ReportSource} reads the points (their resolved configs, metrics and
 * errors), {@link org.efqat.experiments.report.ReportModel} groups them into panels (one per bit
 * width) and settings (policy, p, interval) with mean and spread over seeds and the PTQ→QAT gap
 * each setting closes, and {@link org.efqat.experiments.report.ReportWriter} draws the figures of
 * the EfQAT paper (accuracy versus p, versus backward time, versus the refresh interval; row
 * importance) and writes the Markdown and HTML report.
 */
package org.efqat.experiments.report;
