package org.efqat.backend.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The device types TensorFlow's native library offers a session ({@code CPU}, {@code GPU}, ...),
 * asked through the C API ({@code TF_SessionListDevices}) on a throw-away session, so that the
 * backend reports the device its kernels can be placed on instead of assuming the CPU.
 */
final class TfDevices {
  private TfDevices() {}

  /**
   * @return one entry per device, its type, in TensorFlow's order
   * @throws IllegalStateException with TensorFlow's message if the native calls fail
   */
  static List<String> types() {
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = null;
    TF_DeviceList list = null;
    try {
      session = TF_NewSession(graph, options, status);
      check(status);
      list = TF_SessionListDevices(session, status);
      check(status);
      List<String> types = new ArrayList<>();
      for (int i = 0, n = TF_DeviceListCount(list); i < n; i++) {
        types.add(TF_DeviceListType(list, i, status).getString());
        check(status);
      }
      return types;
    } finally {
      if (list != null) {
        TF_DeleteDeviceList(list);
      }
      if (session != null) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status status) {
    if (TF_GetCode(status) != TF_OK) {
      throw new IllegalStateException(
          "TensorFlow could not list its devices: " + TF_Message(status).getString());
    }
  }
}
