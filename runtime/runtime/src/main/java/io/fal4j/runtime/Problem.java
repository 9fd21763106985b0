package io.fal4j.runtime;

import io.fal4j.api.AppException;
import io.fal4j.api.FieldException;
import io.fal4j.runtime.files.DownloadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that decides how a failure is answered: its status, the {@code detail} the client
 * sees, and whether it is the runner's fault (logged with its stack trace) or poisons the GPU.
 *
 * @param status the HTTP status
 * @param detail the {@code detail} value
 * @param headers extra response headers
 * @param unexpected whether it is a bug or outage to log with its stack trace
 * @param poisonsDevice whether the runner can no longer serve (a CUDA error)
 */
record Problem(int status, Object detail, Map<String, String> headers, boolean unexpected, boolean poisonsDevice) {

    private static final Pattern GPU_OUT_OF_MEMORY = Pattern.compile(
            "CUDA out of memory|CUBLAS_STATUS_ALLOC_FAILED|cudaErrorMemoryAllocation|out of memory on device");
    private static final Pattern GPU_FAULT = Pattern.compile(
            "CUDA error|cudaError|CUDNN_STATUS_|CUBLAS_STATUS_|device-side assert|NCCL error");
    private static final int MAX_CAUSES = 16;

    /** How a failure is answered. */
    static Problem of(Throwable failure) {
        if (failure instanceof RunnerException runner) {
            return new Problem(runner.status(), runner.detail(), runner.headers(), false, false);
        }
        if (failure instanceof FieldException field) {
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            loc.addAll(field.location());
            return new Problem(422, List.of(new FieldError(loc, field.getMessage(), "value_error")), Map.of(), false,
                    false);
        }
        if (failure instanceof AppException app) {
            return new Problem(app.status(), String.valueOf(app.getMessage()), Map.of(), false, false);
        }
        DownloadException download = cause(failure, DownloadException.class);
        if (download != null) {
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            loc.addAll(download.location());
            return new Problem(422, List.of(new FieldError(loc, "Could not download the file: " + download.getMessage(),
                    "file_download")), Map.of(), false, false);
        }
        String messages = causeMessages(failure);
        if (GPU_OUT_OF_MEMORY.matcher(messages).find()) {
            return new Problem(503, "The GPU ran out of memory; retry later", Map.of(), true, false);
        }
        if (GPU_FAULT.matcher(messages).find()) {
            return new Problem(503, "GPU error; the runner is being replaced", Map.of(), true, true);
        }
        return new Problem(500, "Internal Server Error", Map.of(), true, false);
    }

    /** A plain error answer with a string detail. */
    static Problem of(int status, String detail) {
        return new Problem(status, detail, Map.of(), false, false);
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String causeMessages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
