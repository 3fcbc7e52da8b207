package org.efqat.core.session;

/** The stages of an experiment, in order. */
public enum Stage {
  /** Full-precision training, or loading the FP checkpoint. */
  PRETRAIN("fp"),
  /** PTQ: calibration and evaluation of the quantized model. */
  PTQ("ptq"),
  /** EfQAT training and evaluation. */
  EFQAT("efqat");

  private final String fileStem;

  Stage(String fileStem) {
    this.fileStem = fileStem;
  }

  /**
   * @return the stem of the stage's files, for example {@code efqat}
   */
  public String fileStem() {
    return fileStem;
  }

  /**
   * @return the stage's final checkpoint, for example {@code efqat.safetensors}
   */
  public String checkpointFile() {
    return fileStem + ".safetensors";
  }

  /**
   * @return the stage's mid-stage resume checkpoint, for example {@code efqat.resume.safetensors}
   */
  public String resumeFile() {
    return fileStem + ".resume.safetensors";
  }
}
