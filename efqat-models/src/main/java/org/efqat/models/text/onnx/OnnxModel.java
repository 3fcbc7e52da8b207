package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;

/**
 * A parsed ONNX model file (a protobuf {@code ModelProto}, <a
 * href="https://github.com/onnx/onnx/blob/main/onnx/onnx.proto">onnx.proto</a>) and its
 * initializers as FP32 tensors. Only the main graph's initializers are read; data stored in
 * external files is not supported. Immutable; the whole file is held in memory (about 90 MB for
 * all-MiniLM-L6-v2).
 *
 * <p>Every error is a {@link CheckpointException} with one line naming the file and what was
 * expected, for example {@code model.onnx: tensor embeddings.position_ids is INT64, expected
 * FLOAT}.
 */
public final class OnnxModel {
  private final String source;
  private final ModelProto proto;
  private final OnnxGraph graph;

  private OnnxModel(String source, ModelProto proto) {
    this.source = source;
    this.proto = proto;
    this.graph = new OnnxGraph(source, proto.getGraph());
  }

  /**
   * @param file an {@code .onnx} file
   * @return the parsed model
   * @throws CheckpointException if the file is missing, unreadable or not an ONNX model
   */
  public static OnnxModel read(Path file) {
    Objects.requireNonNull(file, "file is null");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": no such file (expected an ONNX model)", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e, e);
    }
    return parse(file.toString(), bytes);
  }

  /**
   * @param source what to call the stream in messages, for example a file name
   * @param in the model's bytes, read to the end (not closed)
   * @return the parsed model
   * @throws CheckpointException if the stream cannot be read or is not an ONNX model
   */
  public static OnnxModel read(String source, InputStream in) {
    Objects.requireNonNull(source, "source is null");
    Objects.requireNonNull(in, "in is null");
    try {
      return parse(source, in.readAllBytes());
    } catch (IOException e) {
      throw new CheckpointException(source + ": cannot read: " + e, e);
    }
  }

  /**
   * @param resource a classpath resource, for example {@value BertOnnxImporter#MINILM_RESOURCE}
   * @return the parsed model, named {@code classpath:<resource>}
   * @throws CheckpointException if the resource is missing or not an ONNX model
   */
  public static OnnxModel readResource(String resource) {
    String source = "classpath:" + resource;
    try (InputStream in = OnnxModel.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new CheckpointException(source + ": no such resource (expected an ONNX model)");
      }
      return parse(source, in.readAllBytes());
    } catch (IOException e) {
      throw new CheckpointException(source + ": cannot read: " + e, e);
    }
  }

  private static OnnxModel parse(String source, byte[] bytes) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(
          source + ": not an ONNX model (expected a protobuf ModelProto: " + e.getMessage() + ")",
          e);
    }
    if (proto.getIrVersion() <= 0 || !proto.hasGraph()) {
      throw new CheckpointException(
          source
              + ": not an ONNX model (expected a protobuf ModelProto with an ir_version and a"
              + " graph, "
              + bytes.length
              + " bytes read)");
    }
    return new OnnxModel(source, proto);
  }

  /**
   * @return the file's name, as given to the reader (or {@code classpath:<resource>})
   */
  public String source() {
    return source;
  }

  /**
   * @return the parsed protobuf, for example to add a graph output and run it elsewhere
   */
  public ModelProto proto() {
    return proto;
  }

  /**
   * @return the index of the main graph's nodes and constants
   */
  public OnnxGraph graph() {
    return graph;
  }

  /**
   * @return the main graph's initializer names, in file order
   */
  public List<String> initializerNames() {
    return proto.getGraph().getInitializerList().stream()
        .map(TensorProto::getName)
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * @param name an initializer's name
   * @return true if it exists and its data type is FLOAT
   */
  public boolean isFloatInitializer(String name) {
    return graph
        .initializer(name)
        .filter(t -> t.getDataType() == TensorProto.DataType.FLOAT.getNumber())
        .isPresent();
  }

  /**
   * Decodes one initializer (a fresh array each call).
   *
   * @param name an initializer's name
   * @return its FP32 values, row-major, shape as stored in the file
   * @throws CheckpointException if there is no such initializer, it is not FLOAT, or its data do
   *     not match its dims
   */
  public NamedTensor floatInitializer(String name) {
    TensorProto t =
        graph
            .initializer(name)
            .orElseThrow(
                () ->
                    new CheckpointException(
                        source + ": missing tensor " + name + " (no initializer of that name)"));
    return OnnxTensors.floats(source, t, name);
  }

  /**
   * @param name an initializer's name
   * @return its ONNX data type, for example {@code FLOAT} or {@code INT64}
   * @throws CheckpointException if there is no such initializer
   */
  public String initializerType(String name) {
    return graph
        .initializer(name)
        .map(OnnxTensors::typeName)
        .orElseThrow(
            () ->
                new CheckpointException(
                    source + ": missing tensor " + name + " (no initializer of that name)"));
  }

  @Override
  public String toString() {
    return "OnnxModel[" + source + ", ir " + proto.getIrVersion() + "]";
  }
}
