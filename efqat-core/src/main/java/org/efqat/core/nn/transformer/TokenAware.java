package org.efqat.core.nn.transformer;

/** A layer that needs the token batch (ids, padding mask) of the encoder's current forward pass. */
interface TokenAware {
  /**
   * @param tokens the batch of the next forward pass
   * @param keyMask {@code tokens.keyMask()} on the backend, {@code [B, L]}; owned by the encoder
   */
  void setTokens(TokenBatch tokens, org.efqat.api.backend.Tensor keyMask);
}
