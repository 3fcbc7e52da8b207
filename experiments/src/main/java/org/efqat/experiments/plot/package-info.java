/** Shared chart styling and PNG encoding (JFreeChart). */
package org.efqat.experiments.plot;
