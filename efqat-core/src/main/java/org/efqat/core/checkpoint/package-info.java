/**
 * Model checkpoints in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so that weights move between this engine and PyTorch under PyTorch's {@code state_dict}
 * names and layouts (conv weight {@code [C_out, C_in, kh, kw]}, linear weight {@code [out, in]}).
 *
 * <p>In memory every tensor is a {@link org.efqat.core.checkpoint.NamedTensor} holding FP32 data.
 * {@link org.efqat.core.checkpoint.SafetensorsReader} reads F32, F16, BF16 and F64 files (converted
 * to FP32), {@link org.efqat.core.checkpoint.SafetensorsWriter} writes F32 or F16 atomically, and
 * {@link org.efqat.core.checkpoint.ShapeCheck} checks a loaded set of tensors against the names and
 * shapes a model expects. {@link org.efqat.core.checkpoint.NetworkCheckpoint} loads a network,
 * renaming the file's tensors first with a {@link org.efqat.core.checkpoint.CheckpointKeyMap}
 * (rename rules and presets for other code bases' names) and refusing NaN and infinite values.
 * Every failure is a {@link org.efqat.core.checkpoint.CheckpointException} whose message names the
 * file and the tensor: one line, except a name mismatch, which lists the missing and unexpected
 * names (at most ten of each) on the lines that follow.
 */
package org.efqat.core.checkpoint;
