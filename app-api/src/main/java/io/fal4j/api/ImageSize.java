package io.fal4j.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The size of an image to generate, as fal's endpoints take it: a preset name
 * ({@code "square_hd"}, {@code "landscape_16_9"}, ...) or {@code {"width": 768, "height": 512}}.
 * It is written back as the object.
 *
 * <pre>{@code
 * public record Input(@NotBlank String prompt, @Default("square_hd") ImageSize imageSize) {}
 * }</pre>
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 */
public record ImageSize(int width, int height) {

    /** 1024 × 1024. */
    public static final ImageSize SQUARE_HD = new ImageSize(1024, 1024);
    /** 512 × 512. */
    public static final ImageSize SQUARE = new ImageSize(512, 512);
    /** 768 × 1024. */
    public static final ImageSize PORTRAIT_4_3 = new ImageSize(768, 1024);
    /** 576 × 1024. */
    public static final ImageSize PORTRAIT_16_9 = new ImageSize(576, 1024);
    /** 1024 × 768. */
    public static final ImageSize LANDSCAPE_4_3 = new ImageSize(1024, 768);
    /** 1024 × 576. */
    public static final ImageSize LANDSCAPE_16_9 = new ImageSize(1024, 576);

    private static final Map<String, ImageSize> PRESETS = presetTable();

    /**
     * Checks the size.
     *
     * @throws IllegalArgumentException when a side is not positive
     */
    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("An image size needs a positive width and height, not " + width + "x"
                    + height);
        }
    }

    /** The presets by name, in fal's order. */
    public static Map<String, ImageSize> presets() {
        return PRESETS;
    }

    /**
     * The size a JSON value stands for: a preset name or an object with {@code width} and {@code height}.
     *
     * @throws IllegalArgumentException for an unknown preset or a malformed object
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ImageSize of(Object value) {
        if (value instanceof String name) {
            ImageSize preset = PRESETS.get(name.toLowerCase(Locale.ROOT));
            if (preset == null) {
                throw new IllegalArgumentException("Unknown image size '" + name + "': use one of "
                        + String.join(", ", PRESETS.keySet()) + " or {\"width\": w, \"height\": h}");
            }
            return preset;
        }
        if (value instanceof Map<?, ?> map && map.get("width") instanceof Integer w
                && map.get("height") instanceof Integer h) {
            return new ImageSize(w, h);
        }
        throw new IllegalArgumentException("An image size is a preset name or {\"width\": w, \"height\": h}");
    }

    private static Map<String, ImageSize> presetTable() {
        Map<String, ImageSize> presets = new LinkedHashMap<>();
        presets.put("square_hd", SQUARE_HD);
        presets.put("square", SQUARE);
        presets.put("portrait_4_3", PORTRAIT_4_3);
        presets.put("portrait_16_9", PORTRAIT_16_9);
        presets.put("landscape_4_3", LANDSCAPE_4_3);
        presets.put("landscape_16_9", LANDSCAPE_16_9);
        return java.util.Collections.unmodifiableMap(presets);
    }
}
