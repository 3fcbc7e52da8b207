/**
 * The layers of a BERT-style Transformer encoder (Devlin et al., 2019), each with an explicit
 * backward pass on the backend's kernels: embeddings with a sparse row lookup, multi-head
 * self-attention with a padding mask, post-norm residual blocks, token pooling, and the encoder
 * that hands every layer the batch's padding mask. Activations are {@code [B, 1, L, D]} (a sequence
 * is a 1×L image with D channels), so every projection is a quantizable {@link
 * org.efqat.core.nn.Linear} on {@code [B·L, D]} rows, and EfQAT freezes its rows exactly as it does
 * a convolution's.
 */
package org.efqat.core.nn.transformer;
