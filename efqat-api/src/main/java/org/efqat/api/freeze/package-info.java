/**
 * Freeze policies (EfQAT section 3, DESIGN.md 1.2): given the importance of every row of every
 * quantized layer, choose the rows that train; all other rows are frozen, get no weight gradient
 * and are skipped in the weight-gradient GEMM. Built-ins: {@code cwpl}, {@code cwpn}, {@code lwpn},
 * {@code all}, {@code none} and the {@code random} baseline.
 */
package org.efqat.api.freeze;
