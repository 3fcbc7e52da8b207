package org.efqat.api.freeze;

import org.apiguardian.api.API;

/**
 * Chooses the rows that train (EfQAT section 3, DESIGN.md 1.2). The trainer calls {@link #select}
 * once before training and again every {@code interval} samples with fresh importances.
 *
 * <p>Contract (checked by {@code FreezePolicyContractTest} in efqat-testkit): the selection has
 * exactly the layers of the input, in the same order, with valid row indices; a policy is
 * deterministic given its {@link org.efqat.api.spi.ComponentContext} seed and the sequence of
 * inputs.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface FreezePolicy {

  /**
   * @param importance the row importances of every quantized layer, in network order
   * @return the unfrozen rows of every layer
   */
  RowSelection select(NetworkImportance importance);
}
