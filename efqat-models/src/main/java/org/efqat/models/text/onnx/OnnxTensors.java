package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;

/**
 * Decodes the data of an ONNX {@code TensorProto}: little-endian {@code raw_data}, or the typed
 * repeated fields ({@code float_data}, {@code int64_data}). Data in external files is not
 * supported.
 */
final class OnnxTensors {
  private OnnxTensors() {}

  /**
   * @param source the file, for messages
   * @param t an FP32 tensor
   * @param name the name to give the result (the tensor's own name for an initializer)
   * @return its values, row-major, with its dims as the shape
   * @throws CheckpointException if the tensor is not FLOAT, is stored externally or its data do not
   *     match its dims
   */
  static NamedTensor floats(String source, TensorProto t, String name) {
    long[] shape = shape(t);
    int n = numel(source, t, shape);
    checkStorage(source, t, TensorProto.DataType.FLOAT);
    float[] data = new float[n];
    if (t.getRawData().isEmpty() && t.getFloatDataCount() == n) {
      for (int i = 0; i < n; i++) {
        data[i] = t.getFloatData(i);
      }
    } else {
      rawBuffer(source, t, n, Float.BYTES, t.getFloatDataCount()).asFloatBuffer().get(data);
    }
    return new NamedTensor(name, shape, data);
  }

  /**
   * @param source the file, for messages
   * @param t an INT64 tensor
   * @return its values, row-major
   * @throws CheckpointException if the tensor is not INT64, is stored externally or its data do not
   *     match its dims
   */
  static long[] int64s(String source, TensorProto t) {
    int n = numel(source, t, shape(t));
    checkStorage(source, t, TensorProto.DataType.INT64);
    long[] data = new long[n];
    if (t.getRawData().isEmpty() && t.getInt64DataCount() == n) {
      for (int i = 0; i < n; i++) {
        data[i] = t.getInt64Data(i);
      }
    } else {
      rawBuffer(source, t, n, Long.BYTES, t.getInt64DataCount()).asLongBuffer().get(data);
    }
    return data;
  }

  /**
   * @param t a tensor
   * @return its ONNX data type's name, such as {@code FLOAT} or {@code INT64}
   */
  static String typeName(TensorProto t) {
    TensorProto.DataType type = TensorProto.DataType.forNumber(t.getDataType());
    return type == null ? "data type " + t.getDataType() : type.name();
  }

  private static long[] shape(TensorProto t) {
    long[] shape = new long[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.getDims(i);
    }
    return shape;
  }

  private static int numel(String source, TensorProto t, long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0 || (d > 0 && n > Integer.MAX_VALUE / d)) {
        throw new CheckpointException(
            source + ": tensor " + t.getName() + " has dims " + t.getDimsList() + ", too large");
      }
      n *= d;
    }
    return (int) n;
  }

  private static void checkStorage(String source, TensorProto t, TensorProto.DataType expected) {
    if (t.getDataType() != expected.getNumber()) {
      throw new CheckpointException(
          source
              + ": tensor "
              + t.getName()
              + " is "
              + typeName(t)
              + ", expected "
              + expected.name());
    }
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new CheckpointException(
          source
              + ": tensor "
              + t.getName()
              + " is stored in an external data file, which is not supported");
    }
  }

  private static ByteBuffer rawBuffer(
      String source, TensorProto t, int n, int bytesPer, int typedCount) {
    long expected = (long) n * bytesPer;
    if (t.getRawData().size() != expected) {
      throw new CheckpointException(
          source
              + ": tensor "
              + t.getName()
              + " with dims "
              + t.getDimsList()
              + " needs "
              + expected
              + " bytes of raw_data or "
              + n
              + " typed values, but has "
              + t.getRawData().size()
              + " bytes of raw_data and "
              + typedCount
              + " typed values");
    }
    return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }
}
