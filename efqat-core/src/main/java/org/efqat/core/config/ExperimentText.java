package org.efqat.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * The checks an experiment file passes before it is parsed: its size ({@link
 * ExperimentLoader#MAX_FILE_BYTES}), its encoding (UTF-8) and its number of YAML documents (one).
 */
final class ExperimentText {
  private ExperimentText() {}

  /**
   * @param file an experiment file
   * @return its text
   * @throws ExperimentValidationException if it cannot be read, is too large or is not UTF-8
   */
  static String read(Path file) throws ExperimentValidationException {
    String source = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > ExperimentLoader.MAX_FILE_BYTES) {
        throw tooLarge(source, size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        // Bounded even if the file grows meanwhile, or is a pipe whose size reads as 0.
        bytes = in.readNBytes(ExperimentLoader.MAX_FILE_BYTES + 1);
      }
    } catch (IOException e) {
      throw error(source, 0, "cannot be read: " + reason(e));
    }
    if (bytes.length > ExperimentLoader.MAX_FILE_BYTES) {
      throw tooLarge(source, bytes.length);
    }
    return decode(bytes, source);
  }

  /**
   * @param text an experiment document
   * @param source what to call it in messages
   * @throws ExperimentValidationException if it is over the size limit
   */
  static void checkSize(String text, String source) throws ExperimentValidationException {
    if (text.length() > ExperimentLoader.MAX_FILE_BYTES) {
      throw tooLarge(source, text.length());
    }
    long bytes = utf8Length(text);
    if (bytes > ExperimentLoader.MAX_FILE_BYTES) {
      throw tooLarge(source, bytes);
    }
  }

  /**
   * One pass over the YAML events, before the document is parsed into a tree: refuses a second
   * document ({@code ---} after the first one), nesting deeper than {@link Yaml#MAX_NESTING_DEPTH}
   * and numbers longer than {@link Yaml#MAX_NUMBER_LENGTH} digits (reading those is quadratic). A
   * syntax error is left to the parser proper, which reports it with its line.
   *
   * @param text the text
   * @param source what to call it in messages
   * @throws ExperimentValidationException naming the line of the first problem
   */
  static void checkEvents(String text, String source) throws ExperimentValidationException {
    int documents = 0;
    int depth = 0;
    try {
      for (Event event :
          new org.yaml.snakeyaml.Yaml(Yaml.loaderOptions()).parse(new StringReader(text))) {
        int line = event.getStartMark().getLine() + 1;
        if (event instanceof DocumentStartEvent && ++documents == 2) {
          throw error(
              source,
              line,
              "starts a second YAML document; an experiment file holds exactly one"
                  + " (remove this '---' or split the file)");
        } else if (event instanceof CollectionStartEvent && ++depth > Yaml.MAX_NESTING_DEPTH) {
          throw error(source, line, nestingMessage());
        } else if (event instanceof CollectionEndEvent) {
          depth--;
        } else if (event instanceof ScalarEvent scalar
            && scalar.getImplicit().canOmitTagInPlainScalar()
            && scalar.getValue().length() > Yaml.MAX_NUMBER_LENGTH
            && looksNumeric(scalar.getValue())) {
          throw error(source, line, numberMessage(scalar.getValue().length()));
        }
      }
    } catch (YAMLException e) {
      // Reported by the parser proper, with its line.
    }
  }

  static String nestingMessage() {
    return "nests mappings and lists more than "
        + Yaml.MAX_NESTING_DEPTH
        + " levels deep, the limit for experiment files";
  }

  static String numberMessage(int length) {
    return "has a number of "
        + length
        + " characters; numbers in experiment files are limited to "
        + Yaml.MAX_NUMBER_LENGTH;
  }

  private static boolean looksNumeric(String value) {
    char first = value.charAt(0);
    if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      if ("0123456789_.eE+-xXoabcdefABCDEF:".indexOf(value.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  static ExperimentValidationException tooLarge(String source, long bytes) {
    return error(
        source,
        0,
        "is "
            + bytes
            + " bytes, over the limit of "
            + ExperimentLoader.MAX_FILE_BYTES
            + " bytes (1 MiB) for experiment files");
  }

  private static String decode(byte[] bytes, String source) throws ExperimentValidationException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw error(
          source,
          line,
          String.format(
              Locale.ROOT,
              "is not valid UTF-8: byte 0x%02X at column %d; save the file as UTF-8",
              bytes[at] & 0xff,
              at - lineStart + 1));
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static ExperimentValidationException error(String source, int line, String message) {
    return new ExperimentValidationException(List.of(new ConfigError(source, line, "", message)));
  }
}
