package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The pipeline's conversion of decoded images to bytes is diffusers' expression, bit for bit. */
class RgbConversionTest {

    @Test
    void givesExactlyWhatDiffusersExpressionGives() {
        int side = 1024;
        float[] values = new float[3 * side * side];
        int at = 0;
        // each rounding tie of the expression, (k + 0.5) / 255, with the floats next to it
        for (int k = 0; k < 255; k++) {
            float tie = (float) (((k + 0.5) / 255 - 0.5) * 2);
            for (float x = Math.nextDown(Math.nextDown(tie)), end = Math.nextUp(Math.nextUp(tie)); x <= end;
                    x = Math.nextUp(x)) {
                values[at++] = x;
            }
        }
        for (float special : new float[] {-1f, 1f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e7f, -1e7f, 4194304f, -4194304f, 8388608f, -8388608f}) {
            values[at++] = special;
        }
        // the rest: an even sweep of [-1.5, 1.5], past both ends of the clamp
        int sweep = values.length - at;
        for (int i = 0; i < sweep; i++) {
            values[at + i] = -1.5f + 3f * i / sweep;
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray decoded = manager.create(values, new Shape(1, 3, side, side));
            byte[] diffusers = decoded.div(2).add(0.5).clip(0, 1).mul(255).round().toType(DataType.UINT8, false)
                    .toByteArray();
            DiffusionPipeline.RgbConversion conversion = new DiffusionPipeline.RgbConversion(manager);
            assertArrayEquals(diffusers, conversion.apply(decoded, true), "reading the float's bits in place");
            assertArrayEquals(diffusers, conversion.apply(decoded, false), "converting to int32");
        }
    }
}
