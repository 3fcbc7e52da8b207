/**
 * The {@code bert} architecture: a BERT-style Transformer encoder with a classification head, built
 * from efqat-core's Transformer layers ({@link org.efqat.core.nn.transformer}), with presets for a
 * tiny test model, all-MiniLM-L6-v2 and BERT-base, and the pretrained all-MiniLM-L6-v2 weights read
 * from the ONNX file on Maven Central.
 */
package org.efqat.models.bert;
