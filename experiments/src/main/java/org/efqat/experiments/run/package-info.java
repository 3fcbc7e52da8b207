/** How {@code efqat run} presents a session: progress, events and the summary table. */
package org.efqat.experiments.run;
