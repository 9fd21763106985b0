package io.fal4j.runtime.files;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fal4j.api.File;
import io.fal4j.api.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@link File} and {@link Image} travel as JSON. Out: fal's shape
 * {@code {"url","content_type","file_name","file_size"}} (+ {@code "width","height"}), the URL of
 * a stored file looked up in the {@link #STORED} attribute; with the {@link #COLLECT} attribute
 * instead, files still to be stored are collected. In: a URL string or an object with {@code url},
 * bound to a file that downloads through {@link Downloads} and remembers its place in the body.
 */
public final class FileJson extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** Writer attribute: {@code Map<File, String>} of the URLs the files were stored at. */
    public static final String STORED = "fal4j.stored-files";
    /** Writer attribute: a {@code List<File>} that collects the files still to be stored. */
    public static final String COLLECT = "fal4j.collect-files";

    /**
     * The module.
     *
     * @param downloads fetches input files; null where files are bound but never read (build-time checks)
     */
    public FileJson(Downloads downloads) {
        super("fal4j-files");
        addSerializer(File.class, new Writer());
        addDeserializer(File.class, new Reader<>(File.class, downloads));
        addDeserializer(Image.class, new Reader<>(Image.class, downloads));
    }

    /** Writes fal's shape. */
    private static final class Writer extends StdSerializer<File> {

        private static final long serialVersionUID = 1L;

        Writer() {
            super(File.class);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void serialize(File file, JsonGenerator json, SerializerProvider provider) throws IOException {
            String url = file.url().orElse(null);
            if (url == null) {
                if (provider.getAttribute(COLLECT) instanceof List<?> collected) {
                    ((List<File>) collected).add(file);
                } else {
                    Object stored = provider.getAttribute(STORED);
                    url = stored instanceof Map<?, ?> urls ? (String) urls.get(file) : null;
                    if (url == null) {
                        throw JsonMappingException.from(provider, "output file " + file + " was not stored");
                    }
                }
            }
            json.writeStartObject();
            json.writeStringField("url", url);
            json.writeStringField("content_type", file.contentType());
            json.writeStringField("file_name", file.fileName().orElse(null));
            if (file.fileSize().isPresent()) {
                json.writeNumberField("file_size", file.fileSize().getAsLong());
            } else {
                json.writeNullField("file_size");
            }
            if (file instanceof Image image) {
                writeOptional(json, "width", image.width().isPresent() ? image.width().getAsInt() : null);
                writeOptional(json, "height", image.height().isPresent() ? image.height().getAsInt() : null);
            }
            json.writeEndObject();
        }

        private static void writeOptional(JsonGenerator json, String name, Integer value) throws IOException {
            if (value == null) {
                json.writeNullField(name);
            } else {
                json.writeNumberField(name, value);
            }
        }
    }

    /** Reads a URL string or an object with {@code url}. */
    private static final class Reader<T extends File> extends StdDeserializer<T> {

        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private final transient Downloads downloads;

        Reader(Class<T> type, Downloads downloads) {
            super(type);
            this.type = type;
            this.downloads = downloads;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            List<Object> field = location(parser.getParsingContext(), token == JsonToken.START_OBJECT);
            String url;
            int width = -1;
            int height = -1;
            if (token == JsonToken.VALUE_STRING) {
                url = parser.getText();
            } else if (token == JsonToken.START_OBJECT) {
                JsonNode object = context.readTree(parser);
                url = object.path("url").textValue();
                width = object.path("width").asInt(-1);
                height = object.path("height").asInt(-1);
            } else {
                return type.cast(context.handleUnexpectedToken(type, parser));
            }
            if (url == null || !isUrl(url)) {
                throw InvalidFormatException.from(parser, "not an http, https or data URL", url, type);
            }
            File.Downloader downloader = downloads == null ? null : u -> downloads.download(u, field);
            return type.cast(type == Image.class ? Image.fromUrl(url, downloader, width, height)
                    : File.fromUrl(url, downloader));
        }

        private static boolean isUrl(String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            return lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:");
        }

        /** The field's path below the body, from the parser's contexts. */
        private static List<Object> location(JsonStreamContext context, boolean insideValue) {
            List<Object> path = new ArrayList<>();
            for (JsonStreamContext at = insideValue ? context.getParent() : context; at != null && !at.inRoot();
                    at = at.getParent()) {
                path.add(at.inArray() ? (Object) at.getCurrentIndex() : at.getCurrentName());
            }
            Collections.reverse(path);
            return path;
        }
    }
}
