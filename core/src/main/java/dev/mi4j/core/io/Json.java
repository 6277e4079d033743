package dev.mi4j.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Jackson {@link ObjectMapper} for every JSON file mi4j writes (metrics.json, provenance,
 * reports): pretty-printed, unknown properties ignored on reading (newer files stay readable).
 *
 * <p><b>Non-finite numbers are written as {@code null}</b>: JSON has no NaN or Infinity, and a
 * bare {@code NaN} token or a {@code "NaN"} string breaks strict readers or makes a column mixed-type.
 * Python's {@code json.load} reads {@code null} as {@code None}, pandas as missing. Reading a
 * {@code null} back into a {@code double} or {@code Double} gives {@code NaN}, so "not measured"
 * survives a round trip; +/-Infinity (e.g. the PSNR of identical images) comes back as NaN.
 */
public final class Json {

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    /** The shared, configured mapper (thread-safe; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new Mi4jException("invalid JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Writes the value as pretty JSON (UTF-8, trailing newline), atomically. */
    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, toJson(value) + System.lineSeparator());
    }

    public static <T> T read(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new Mi4jException(file + ": invalid JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper create() {
        SimpleModule nonFinite = new SimpleModule("mi4j-non-finite-as-null");
        nonFinite.addSerializer(Double.class, new NonFiniteAsNull<>(Double.class));
        nonFinite.addSerializer(Double.TYPE, new NonFiniteAsNull<>(Double.TYPE));
        nonFinite.addSerializer(Float.class, new NonFiniteAsNull<>(Float.class));
        nonFinite.addSerializer(Float.TYPE, new NonFiniteAsNull<>(Float.TYPE));
        nonFinite.addDeserializer(Double.class, new NullAsNaN(Double.class));
        nonFinite.addDeserializer(Double.TYPE, new NullAsNaN(Double.TYPE));
        return new ObjectMapper()
                .registerModule(nonFinite)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Writes finite numbers as numbers, NaN and +/-Infinity as null. */
    private static final class NonFiniteAsNull<T extends Number> extends StdSerializer<T> {
        NonFiniteAsNull(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                gen.writeNull();
            } else if (value instanceof Float f) {
                gen.writeNumber(f);
            } else {
                gen.writeNumber(d);
            }
        }
    }

    /** Jackson's double deserializer, except that null reads as NaN (the counterpart of NonFiniteAsNull). */
    private static final class NullAsNaN extends JsonDeserializer<Double> {
        private final JsonDeserializer<?> delegate;

        NullAsNaN(Class<Double> type) {
            delegate = NumberDeserializers.find(type, type.getName());
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return (Double) delegate.deserialize(p, ctxt);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
