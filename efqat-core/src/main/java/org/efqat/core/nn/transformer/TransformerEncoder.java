package org.efqat.core.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.profile.LayerProfiler;

/**
 * A BERT-style encoder from token ids {@code [B, 1, L, 1]} to a pooled vector {@code [B, 1, 1, D]}:
 * embeddings, their LayerNorm and dropout, the encoder layers, pooling. Before each forward pass it
 * reads the ids once ({@link TokenBatch}), uploads the padding mask {@code [B, L]} and hands both
 * to the layers that need them (embeddings, attention, pooling).
 */
public final class TransformerEncoder implements Layer {
  private final String name;
  private final Sequential body;
  private final List<TokenAware> tokenAware;
  private final int vocabulary;
  private final int maxPositions;
  private final Backend backend;
  private Tensor keyMask;

  /**
   * @param backend where it computes
   * @param name a name for messages
   * @param layers embeddings first, pooling last
   * @param vocabulary {@code V}, the bound of valid ids
   * @param maxPositions the longest sequence
   */
  public TransformerEncoder(
      Backend backend, String name, List<Layer> layers, int vocabulary, int maxPositions) {
    this.backend = backend;
    this.name = name;
    this.body = new Sequential(name, layers);
    this.vocabulary = vocabulary;
    this.maxPositions = maxPositions;
    this.tokenAware = new ArrayList<>();
    collect(layers, tokenAware);
    body.setInputGradNeeded(false);
  }

  private static void collect(List<Layer> layers, List<TokenAware> into) {
    for (Layer l : layers) {
      if (l instanceof TokenAware t) {
        into.add(t);
      }
      if (l instanceof Sequential s) {
        collect(s.layers(), into);
      } else if (l instanceof PostNormResidual r) {
        collect(r.inner().layers(), into);
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the layers, embeddings first
   */
  public List<Layer> layers() {
    return body.layers();
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    TensorOps ops = backend.ops();
    TokenBatch tokens =
        TokenBatch.of(ops.toArray(input.tensor()), input.shape(), vocabulary, maxPositions);
    if (keyMask == null || keyMask.size() != tokens.positions()) {
      if (keyMask != null) {
        keyMask.close();
      }
      keyMask = ops.zeros(tokens.batch(), tokens.length());
    }
    ops.copyFrom(tokens.keyMask(), keyMask);
    for (TokenAware t : tokenAware) {
      t.setTokens(tokens, keyMask);
    }
    return body.forward(input, training);
  }

  @Override
  public Activation backward(Activation gradOutput) {
    body.backward(gradOutput);
    return null; // token ids have no gradient
  }

  @Override
  public List<Parameter> parameters() {
    return body.parameters();
  }

  @Override
  public List<WeightLayer> weightLayers() {
    return body.weightLayers();
  }

  @Override
  public List<ActivationFakeQuant> activationQuantizers() {
    return body.activationQuantizers();
  }

  @Override
  public void setTrainingStep(long step) {
    body.setTrainingStep(step);
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    body.setProfiler(profiler);
  }

  @Override
  public boolean isComposite() {
    return true;
  }

  @Override
  public void release() {
    body.release();
    if (keyMask != null) {
      keyMask.close();
      keyMask = null;
    }
  }
}
