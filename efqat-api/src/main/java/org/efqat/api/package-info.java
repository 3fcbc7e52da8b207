/**
 * The EfQAT plugin contracts. EfQAT (arXiv 2411.11038) quantizes a pre-trained network and then
 * trains only its most important weight rows; the pieces a researcher swaps live in the
 * sub-packages: {@link org.efqat.api.quant quantizers}, {@link org.efqat.api.importance importance
 * metrics}, {@link org.efqat.api.freeze freeze policies} and {@link org.efqat.api.backend compute
 * backends}, each discovered with {@link java.util.ServiceLoader} through the provider types in
 * {@link org.efqat.api.spi}. This module depends on the JDK alone.
 */
package org.efqat.api;
