package org.efqat.models.datasets;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;
import org.efqat.models.text.RandomTokens;

/**
 * Registers {@code random-tokens}: token-id sequences {@code [CLS] random ids [SEP] [PAD]...} and
 * random labels ({@link RandomTokens}) of any length, drawn from the component's stream {@code
 * context.random("data.<name>")}; the training and the test split are the same sequences. Nothing
 * to learn: it times text models such as {@code bert} on inputs of a given shape ({@code efqat
 * bench}). Samples are {@code [1, 1, length, 1]}, as the text data sets' ({@link
 * org.efqat.models.text.TextDataSplit}).
 */
public final class RandomTokensProvider
    extends AbstractComponentProvider<Dataset, RandomTokensConfig>
    implements DatasetProvider<RandomTokensConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public RandomTokensProvider() {
    super(
        "random-tokens",
        RandomTokensConfig.class,
        "random token-id sequences ([CLS] ... [SEP], optional padding) and labels, for timing"
            + " text models (train = test)");
  }

  @Override
  public Dataset create(RandomTokensConfig config, ComponentContext context) {
    return () ->
        RandomTokens.generate(
            name(),
            config.length(),
            config.vocabulary(),
            config.classes(),
            config.samples(),
            config.padTokens(),
            context.random("data." + name()));
  }
}
