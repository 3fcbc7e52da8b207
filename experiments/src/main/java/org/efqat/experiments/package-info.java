/**
 * The {@code efqat} command line: {@code list-components} and {@code validate} (this release);
 * {@code run}, {@code compare} and {@code bench} follow. Exit codes: 0 success, 1 runtime failure
 * (one line on standard error), 2 invalid input (usage or experiment file errors).
 */
package org.efqat.experiments;
