package org.efqat.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/** The short table {@code efqat run} prints at the end. */
final class RunSummary {
  private final ObjectNode metrics;

  RunSummary(ObjectNode metrics) {
    this.metrics = metrics;
  }

  void print(PrintWriter out) {
    out.println();
    out.println("  stage    accuracy   notes");
    row(out, "FP", metrics.get("fp"), "");
    row(out, "PTQ", metrics.get("ptq"), "");
    JsonNode e = metrics.get("efqat");
    if (e != null) {
      row(out, "EfQAT", e, String.format(Locale.ROOT,
          "%s %s, %.1f%% of rows trained, fwd %.1f ms, bwd %.1f ms per step (median)",
          e.path("policy").asText(), e.path("policyOptions").toString(),
          100 * e.path("unfrozenFraction").asDouble(), e.path("medianForwardMs").asDouble(),
          e.path("medianBackwardMs").asDouble()));
    }
    JsonNode p = metrics.get("ptq");
    if (e != null && p != null) {
      out.printf(Locale.ROOT, "  EfQAT - PTQ: %+.2f points%n",
          100 * (e.path("accuracy").asDouble() - p.path("accuracy").asDouble()));
    }
  }

  private static void row(PrintWriter out, String stage, JsonNode m, String notes) {
    if (m == null || !m.has("accuracy")) {
      return;
    }
    out.printf(Locale.ROOT, "  %-7s %8.2f%%   %s%n", stage, 100 * m.path("accuracy").asDouble(),
        notes);
  }
}
