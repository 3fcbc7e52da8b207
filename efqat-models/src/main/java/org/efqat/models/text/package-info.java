/**
 * Text classification data: reading WordNet's noun synsets ({@link
 * org.efqat.models.text.WordNetNouns}), WordPiece tokenization with MiniLM's vocabulary ({@link
 * org.efqat.models.text.WordPieceTokenizer}), random token ids for timing ({@link
 * org.efqat.models.text.RandomTokens}) and efqat-core's {@code LoadedDataset} for token-id
 * sequences ({@link org.efqat.models.text.TextDataSplit}).
 *
 * <p>A text sample is a {@code FeatureShape [1, 1, maxLength, 1]} of WordPiece token ids stored as
 * {@code float} (exact, since the vocabulary of 30,522 ids is far below 2<sup>24</sup>): {@code
 * [CLS] tokens... [SEP]}, truncated to {@code maxLength} (keeping the final {@code [SEP]}) and
 * right-padded with id 0 ({@code [PAD]}); the attention mask is {@code id != 0}. There is no
 * normalization and no augmentation. Problems with files throw {@link
 * org.efqat.models.data.DatasetException} with a one-line message naming the file and line.
 */
package org.efqat.models.text;
