/**
 * Compute backends. Core owns the algorithm; a {@link org.efqat.api.backend.Backend} owns only the
 * math kernels, most importantly the sparse-row weight-gradient GEMM that makes EfQAT cheap. A
 * backend is always named in the experiment ({@code backend: nd4j}); an unavailable one fails with
 * the reason from {@link org.efqat.api.backend.BackendProvider#probe()}.
 */
package org.efqat.api.backend;
