/**
 * Export of a quantized network to ONNX in the QDQ form, its check in ONNX Runtime, and its integer
 * weights as safetensors. {@link org.efqat.models.export.onnx.OnnxExporter} writes the graph
 * (Tribuo's generated {@code ai.onnx.proto.OnnxMl} protobuf classes, as the ONNX weight import of
 * {@code org.efqat.models.text.onnx} reads them): integer weights stored once with per-row scales
 * and zero points ({@code DequantizeLinear}, axis 0), activations as {@code QuantizeLinear →
 * DequantizeLinear} with per-tensor scale and zero point, and the float operators of every other
 * layer. {@link org.efqat.models.export.onnx.OnnxRuntimeCheck} runs the exported model in ONNX
 * Runtime next to the network on the same batches and reports accuracies and logit differences;
 * {@link org.efqat.models.export.onnx.IntegerSafetensors} writes the integers, scales and zero
 * points.
 *
 * <p>It lives in {@code efqat-models} because that module already holds the ONNX binding (for the
 * MiniLM import) and the models whose layers it writes; {@code efqat-core} stays free of ONNX and
 * the command line ({@code efqat export}) only parses arguments and prints.
 */
package org.efqat.models.export.onnx;
