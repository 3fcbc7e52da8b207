package org.efqat.experiments;

import picocli.CommandLine;

/** {@code efqat --version}: the efqat, Java and OS versions. */
final class EfqatVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = EfqatCli.class.getPackage().getImplementationVersion();
    return new String[] {
      "efqat " + (v == null ? "development build" : v),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + "), "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
    };
  }
}
