package org.efqat.models.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.efqat.models.data.DatasetException;

/**
 * Reads the noun supersense task from WordNet 3.0 (Miller 1995; Fellbaum 1998): each noun synset of
 * {@value #DATA_FILE} is one example, its input the definition part of the gloss, its label the
 * lexicographer file the synset was written in ({@link #SUPERSENSES}, 26 classes).
 *
 * <p>A line of {@value #DATA_FILE} (WordNet's {@code wndb(5)}) is {@code synset_offset lex_filenum
 * ss_type w_cnt word lex_id ... p_cnt ptr... | gloss}; lines that start with two spaces are the
 * licence header. The gloss is the text after the first {@code " | "}; its example sentences start
 * at the first {@code "; \""} and are cut, so {@code a dog; "he said; hi"} gives {@code a dog} and
 * a {@code ;} that is not followed by a quote stays in the definition.
 *
 * <p>The bundled sample has one example per line: {@code definition<TAB>lex_filenum}.
 */
public final class WordNetNouns {
  /** WordNet's noun data file. */
  public static final String DATA_FILE = "data.noun";

  /** The first noun lexicographer file ({@code noun.Tops}). */
  public static final int FIRST_LEXFILE = 3;

  /** The last noun lexicographer file ({@code noun.time}). */
  public static final int LAST_LEXFILE = 28;

  /**
   * The noun lexicographer files 03..28 in WordNet's {@code lexnames(5)} order, so that class
   * {@code i} is file {@code i + 3}. WordNet's {@code lexnames} file is not shipped by every
   * package; its names are fixed.
   */
  public static final List<String> SUPERSENSES =
      List.of(
          "noun.Tops",
          "noun.act",
          "noun.animal",
          "noun.artifact",
          "noun.attribute",
          "noun.body",
          "noun.cognition",
          "noun.communication",
          "noun.event",
          "noun.feeling",
          "noun.food",
          "noun.group",
          "noun.location",
          "noun.motive",
          "noun.object",
          "noun.person",
          "noun.phenomenon",
          "noun.plant",
          "noun.possession",
          "noun.process",
          "noun.quantity",
          "noun.relation",
          "noun.shape",
          "noun.state",
          "noun.substance",
          "noun.time");

  /** The number of classes, 26. */
  public static final int CLASSES = LAST_LEXFILE - FIRST_LEXFILE + 1;

  private static final String GLOSS_SEPARATOR = " | ";
  private static final String EXAMPLES_START = "; \"";

  private WordNetNouns() {}

  /**
   * @param lexfile a noun lexicographer file number
   * @return its class index, {@code lexfile - 3}
   * @throws IllegalArgumentException if it is not in {@code [3, 28]}
   */
  public static int classOf(int lexfile) {
    if (lexfile < FIRST_LEXFILE || lexfile > LAST_LEXFILE) {
      throw new IllegalArgumentException(
          "lexicographer file "
              + lexfile
              + " is not a noun file (expected "
              + FIRST_LEXFILE
              + ".."
              + LAST_LEXFILE
              + ")");
    }
    return lexfile - FIRST_LEXFILE;
  }

  /**
   * The definition part of a gloss: everything before the first {@code "; \""}, trimmed.
   *
   * @param gloss the gloss, the text after {@code " | "}
   * @return the definition, possibly empty
   */
  public static String definition(String gloss) {
    int examples = gloss.indexOf(EXAMPLES_START);
    return (examples < 0 ? gloss : gloss.substring(0, examples)).strip();
  }

  /**
   * Parses one line of {@value #DATA_FILE}.
   *
   * @param line the line, without its end
   * @param where {@code file:line}, for messages
   * @return the example, or {@code null} for a licence header line
   * @throws DatasetException if the line is not a noun synset with a gloss
   */
  public static NounDefinition parseDataLine(String line, String where) throws DatasetException {
    if (line.startsWith("  ")) {
      return null;
    }
    int bar = line.indexOf(GLOSS_SEPARATOR);
    if (bar < 0) {
      throw malformed(where, "no gloss (no ' | ')", line);
    }
    String[] fields = line.substring(0, bar).split(" ", 4);
    if (fields.length < 4) {
      throw malformed(where, "fewer than 4 fields before the gloss", line);
    }
    if (!fields[2].equals("n")) {
      throw malformed(where, "synset type '" + fields[2] + "' is not n (noun)", line);
    }
    int lexfile = lexfile(fields[1], where, line);
    String text = definition(line.substring(bar + GLOSS_SEPARATOR.length()));
    if (text.isEmpty()) {
      throw malformed(where, "empty definition", line);
    }
    return new NounDefinition(text, lexfile);
  }

  /**
   * Parses one line of the bundled sample, {@code definition<TAB>lex_filenum}.
   *
   * @param line the line, without its end
   * @param where {@code file:line}, for messages
   * @return the example
   * @throws DatasetException if the line does not have that form
   */
  public static NounDefinition parseSampleLine(String line, String where) throws DatasetException {
    int tab = line.indexOf('\t');
    if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
      throw malformed(where, "expected 'definition<TAB>lexfile'", line);
    }
    String text = line.substring(0, tab).strip();
    if (text.isEmpty()) {
      throw malformed(where, "empty definition", line);
    }
    return new NounDefinition(text, lexfile(line.substring(tab + 1), where, line));
  }

  /**
   * Reads every noun synset of a {@value #DATA_FILE} file.
   *
   * @param file the file
   * @return the examples in file order
   * @throws DatasetException naming the file (and line) if it cannot be read or is malformed
   */
  public static List<NounDefinition> readDataFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(
          file + ": " + (Files.exists(file) ? "not a regular file" : "missing"));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), false);
    }
  }

  /**
   * Reads examples from a stream.
   *
   * @param in the bytes, UTF-8 (not closed)
   * @param source what to call it in messages
   * @param sample {@code true} for the sample format ({@code definition<TAB>lexfile}), {@code
   *     false} for {@value #DATA_FILE}
   * @return the examples in order
   * @throws DatasetException naming the source (and line) if it is malformed or holds no example
   */
  public static List<NounDefinition> read(InputStream in, String source, boolean sample)
      throws IOException {
    byte[] bytes = in.readAllBytes();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<NounDefinition> out = new ArrayList<>();
    int number = 0;
    for (int start = 0; start < bytes.length; ) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      number++;
      String where = source + ":" + number;
      int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      String line;
      try {
        line = utf8.decode(ByteBuffer.wrap(bytes, start, stop - start)).toString();
      } catch (CharacterCodingException e) {
        throw new DatasetException(where + ": not UTF-8 text", e);
      }
      NounDefinition d = sample ? parseSampleLine(line, where) : parseDataLine(line, where);
      if (d != null) {
        out.add(d);
      }
      start = end + 1;
    }
    if (out.isEmpty()) {
      throw new DatasetException(source + ": holds no noun synsets");
    }
    return out;
  }

  private static int lexfile(String field, String where, String line) throws DatasetException {
    int lexfile;
    try {
      lexfile = Integer.parseInt(field.strip());
    } catch (NumberFormatException e) {
      throw malformed(where, "lexicographer file '" + field + "' is not a number", line);
    }
    if (lexfile < FIRST_LEXFILE || lexfile > LAST_LEXFILE) {
      throw malformed(
          where,
          "lexicographer file "
              + lexfile
              + " is not a noun file ("
              + FIRST_LEXFILE
              + ".."
              + LAST_LEXFILE
              + ")",
          line);
    }
    return lexfile;
  }

  private static DatasetException malformed(String where, String problem, String line) {
    String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
    return new DatasetException(where + ": " + problem + " (line: '" + shown + "')");
  }
}
