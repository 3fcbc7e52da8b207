/**
 * Model checkpoints in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so that weights move between this engine and PyTorch under PyTorch's {@code state_dict}
 * names and layouts (conv weight {@code [C_out, C_in, kh, kw]}, linear weight {@code [out, in]}).
 *
 * <p>In memory every tensor is a {@link org.efqat.core.checkpoint.NamedTensor} holding FP32 data.
 * {@link org.efqat.core.checkpoint.SafetensorsReader} reads F32, F16, BF16 and F64 files (converted
 * to FP32), {@link org.efqat.core.checkpoint.SafetensorsWriter} writes F32 or F16 atomically, and
 * {@link org.efqat.core.checkpoint.ShapeCheck} checks a loaded set of tensors against the names and
 * shapes a model expects. Every failure is a {@link org.efqat.core.checkpoint.CheckpointException}
 * whose message is one line naming the file and the tensor.
 */
package org.efqat.core.checkpoint;
