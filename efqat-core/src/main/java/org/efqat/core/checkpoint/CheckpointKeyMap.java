package org.efqat.core.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.efqat.api.spi.ConfigValueException;

/**
 * Renames a checkpoint's tensor names into the model's names before they are matched, for
 * checkpoints trained by other code bases: first the user's rename rules, then the rules of a
 * {@link Preset}, each rule applied in order to the result of the previous one ({@link
 * Matcher#replaceAll}). Immutable.
 *
 * <p>Example: {@code of(Preset.TORCHVISION, List.of(new Rule("^module\\.", "")))} turns {@code
 * module.layer2.0.downsample.1.weight} into {@code layers.3.short.1.weight}.
 */
public final class CheckpointKeyMap {
  /** No renaming: the checkpoint has the model's own names. */
  public static final CheckpointKeyMap IDENTITY = new CheckpointKeyMap(null, List.of());

  /**
   * Built-in key maps, each a fixed list of rename rules. Both are for the {@code resnet20}
   * architecture (three blocks per stage: stage {@code s} block {@code b} is our {@code layers.{3(s
   * - 1) + b}}) with the projection (1×1 conv + BatchNorm) shortcut; a checkpoint with
   * parameter-free shortcuts (akamaster's default option A) lacks the shortcut tensors and does not
   * load.
   */
  public enum Preset {
    /**
     * {@code torchvision}: torchvision's ResNet naming as used by CIFAR ResNet-20 code bases such
     * as chenyaofo/pytorch-cifar-models: {@code conv1}, {@code bn1}, {@code
     * layer{1,2,3}.{0,1,2}.conv1}, {@code .bn1}, {@code .conv2}, {@code .bn2}, {@code
     * layer{2,3}.0.downsample.0} (conv) and {@code .downsample.1} (BatchNorm), {@code fc}.
     */
    TORCHVISION("torchvision", "downsample", "fc"),
    /**
     * {@code shortcut-linear}: akamaster/pytorch_resnet_cifar10's {@code resnet.py} with option B
     * shortcuts: as {@code torchvision} but {@code layer{2,3}.0.shortcut.0} / {@code .shortcut.1}
     * and {@code linear} for the classifier. Its published checkpoints were saved from {@code
     * DataParallel}; add the rule {@code {from: '^module\.', to: ''}}.
     */
    SHORTCUT_LINEAR("shortcut-linear", "shortcut", "linear");

    private final String yamlName;
    private final String shortcut;
    private final String classifier;

    Preset(String yamlName, String shortcut, String classifier) {
      this.yamlName = yamlName;
      this.shortcut = shortcut;
      this.classifier = classifier;
    }

    /**
     * @return the name YAML uses, for example {@code shortcut-linear}
     */
    public String yamlName() {
      return yamlName;
    }

    /**
     * @return the architecture the preset is written for: {@code resnet20}
     */
    public String architecture() {
      return "resnet20";
    }

    /**
     * @return the rename rules, applied in order
     */
    public List<Rule> rules() {
      List<Rule> r = new ArrayList<>();
      r.add(new Rule("^conv1\\.", "conv."));
      r.add(new Rule("^bn1\\.", "bn."));
      for (int stage = 1; stage <= 3; stage++) {
        for (int block = 0; block < 3; block++) {
          r.add(
              new Rule(
                  "^layer" + stage + "\\." + block + "\\.",
                  "layers." + (3 * (stage - 1) + block) + "."));
        }
      }
      r.add(new Rule("^(layers\\.[0-8])\\.conv1\\.", "$1.c1."));
      r.add(new Rule("^(layers\\.[0-8])\\.bn1\\.", "$1.b1."));
      r.add(new Rule("^(layers\\.[0-8])\\.conv2\\.", "$1.c2."));
      r.add(new Rule("^(layers\\.[0-8])\\.bn2\\.", "$1.b2."));
      r.add(new Rule("^(layers\\.[0-8])\\." + shortcut + "\\.", "$1.short."));
      if (!classifier.equals("fc")) {
        r.add(new Rule("^" + classifier + "\\.", "fc."));
      }
      return List.copyOf(r);
    }

    /**
     * @param yamlName a preset's YAML name
     * @return the preset
     * @throws ConfigValueException with key {@code preset} for an unknown name, listing the known
     */
    public static Preset of(String yamlName) {
      for (Preset p : values()) {
        if (p.yamlName.equals(yamlName)) {
          return p;
        }
      }
      throw new ConfigValueException(
          "preset",
          "'"
              + yamlName
              + "' is not a checkpoint key preset; available: "
              + String.join(", ", yamlNames()));
    }

    /**
     * @return every preset's YAML name, in declaration order
     */
    public static List<String> yamlNames() {
      List<String> names = new ArrayList<>();
      for (Preset p : values()) {
        names.add(p.yamlName);
      }
      return names;
    }
  }

  /**
   * One rename rule: every match of {@code from} in a name is replaced by {@code to}.
   *
   * @param from required: a Java regular expression, for example {@code ^module\.}
   * @param to required: the replacement, {@code ""} to delete; {@code $1} refers to a group of
   *     {@code from}, {@code \$} is a literal dollar sign
   */
  public record Rule(String from, String to) {
    /**
     * Checks that {@code from} compiles and {@code to} is a valid replacement for it.
     *
     * @throws ConfigValueException naming the key ({@code from} or {@code to}) and the problem
     */
    public Rule {
      ConfigValueException.requirePresent("from", from);
      ConfigValueException.requirePresent("to", to);
      Pattern p;
      try {
        p = Pattern.compile(from);
      } catch (PatternSyntaxException e) {
        throw new ConfigValueException(
            "from",
            "is not a valid regular expression: "
                + e.getDescription()
                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                + " (was '"
                + from
                + "')");
      }
      checkReplacement(p, to);
    }

    /** Parses {@code to} once against a match of a pattern with {@code from}'s groups. */
    private static void checkReplacement(Pattern from, String to) {
      Pattern alwaysMatches;
      try {
        alwaysMatches = Pattern.compile("(?:" + from.pattern() + ")|", from.flags());
      } catch (PatternSyntaxException e) {
        return; // a trailing comment in (?x) mode; the replacement is checked when it is used
      }
      Matcher m = alwaysMatches.matcher("");
      if (!m.find()) {
        return;
      }
      try {
        m.appendReplacement(new StringBuilder(), to);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new ConfigValueException(
            "to",
            "is not a valid replacement for '"
                + from.pattern()
                + "': "
                + e.getMessage()
                + " (was '"
                + to
                + "'; write \\$ for a literal $)");
      }
    }
  }

  private final Preset preset;
  private final List<Rule> rename;
  private final List<Pattern> patterns;
  private final List<String> replacements;

  private CheckpointKeyMap(Preset preset, List<Rule> rename) {
    this.preset = preset;
    this.rename = List.copyOf(rename);
    this.patterns = new ArrayList<>();
    this.replacements = new ArrayList<>();
    List<Rule> all = new ArrayList<>(this.rename);
    if (preset != null) {
      all.addAll(preset.rules());
    }
    for (Rule r : all) {
      patterns.add(Pattern.compile(r.from()));
      replacements.add(r.to());
    }
  }

  /**
   * @param preset a built-in key map applied after the rename rules, or {@code null} for none
   * @param rename the user's rules, applied first, in order
   * @return the key map
   */
  public static CheckpointKeyMap of(Preset preset, List<Rule> rename) {
    Objects.requireNonNull(rename, "rename is null");
    return preset == null && rename.isEmpty() ? IDENTITY : new CheckpointKeyMap(preset, rename);
  }

  /**
   * @return the preset, or {@code null} when there is none
   */
  public Preset preset() {
    return preset;
  }

  /**
   * @return the user's rename rules, applied before the preset's
   */
  public List<Rule> rename() {
    return rename;
  }

  /**
   * @param preset another preset
   * @return the same rename rules followed by that preset
   */
  public CheckpointKeyMap withPreset(Preset preset) {
    return of(preset, rename);
  }

  /**
   * @param name a tensor name as the checkpoint file has it
   * @return the name after every rule
   */
  public String apply(String name) {
    String n = name;
    for (int i = 0; i < patterns.size(); i++) {
      n = patterns.get(i).matcher(n).replaceAll(replacements.get(i));
    }
    return n;
  }

  /**
   * @return how the YAML selects this map, for messages: {@code checkpointKeys: torchvision},
   *     {@code checkpointKeys: {preset: torchvision, rename: 1 rule}}, {@code no checkpointKeys}
   */
  public String describe() {
    if (preset == null && rename.isEmpty()) {
      return "no checkpointKeys";
    }
    if (rename.isEmpty()) {
      return "checkpointKeys: " + preset.yamlName();
    }
    String rules = rename.size() + (rename.size() == 1 ? " rule" : " rules");
    return preset == null
        ? "checkpointKeys: {rename: " + rules + "}"
        : "checkpointKeys: {preset: " + preset.yamlName() + ", rename: " + rules + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointKeyMap m && preset == m.preset && rename.equals(m.rename);
  }

  @Override
  public int hashCode() {
    return Objects.hash(preset, rename);
  }

  @Override
  public String toString() {
    return describe();
  }
}
