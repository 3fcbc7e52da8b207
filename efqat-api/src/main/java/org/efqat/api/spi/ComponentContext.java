package org.efqat.api.spi;

import java.util.SplittableRandom;

/**
 * What a component gets at creation: the run's seed, split per component so that adding a component
 * never changes another one's random stream.
 *
 * <p>{@link #random(String)} derives a fresh {@link SplittableRandom} from the run seed and the
 * component's name with a fixed mixing function, so the same seed and name always give the same
 * stream, in any order of calls and on any JVM.
 */
public final class ComponentContext {
  private final long seed;

  private ComponentContext(long seed) {
    this.seed = seed;
  }

  /**
   * @param seed the run's seed ({@code seed:} in the experiment file)
   * @return a context for that seed
   */
  public static ComponentContext ofSeed(long seed) {
    return new ComponentContext(seed);
  }

  /**
   * @return the run's seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The random stream of one component.
   *
   * @param component a stable name, conventionally {@code "<kind>.<name>"}, for example {@code
   *     "freeze.random"}
   * @return a new generator; calling again with the same name gives an equal, independent copy
   */
  public SplittableRandom random(String component) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64 over the UTF-16 code units
    for (int i = 0; i < component.length(); i++) {
      h ^= component.charAt(i);
      h *= 0x100000001b3L;
    }
    return new SplittableRandom(mix(seed ^ mix(h)));
  }

  /** SplitMix64 finalizer: a bijective avalanche of the 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "ComponentContext[seed=" + seed + "]";
  }
}
