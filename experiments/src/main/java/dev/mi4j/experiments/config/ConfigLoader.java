package dev.mi4j.experiments.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mi4j.core.Mi4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads YAML experiment configs strictly: an unknown key, a wrong type or an invalid value is a
 * one-line error naming the file, the line and the key.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {
    }

    /** A config by path, or by name in {@code configs/} (e.g. "fredrikson2015"). */
    public static Path locate(String nameOrPath, Path configsDir) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        for (String candidate : new String[] {nameOrPath, nameOrPath + ".yaml", nameOrPath + ".yml"}) {
            Path c = configsDir.resolve(candidate);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new Mi4jException(nameOrPath + ": no such config file (looked for it as a path and in " + configsDir + ")");
    }

    /**
     * Reads and validates an experiment config; the attack's parameters are checked against the
     * attack's declared keys and rules while the file is known.
     */
    public static ExperimentConfig load(Path file) {
        ExperimentConfig cfg = read(file, ExperimentConfig.class);
        try {
            cfg.attack().params();
        } catch (ConfigKeyException e) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException io) {
                text = "";
            }
            throw new Mi4jException(at(file, text, e, Integer.MAX_VALUE) + ": " + e.getMessage(), e);
        }
        return cfg;
    }

    /** "file line N" for the key of a refused value (its section's line when the key is absent). */
    private static String at(Path file, String text, ConfigKeyException e, int notAfter) {
        int line = e.section() == null ? keyLine(text, e.key(), notAfter) : keyLineInSection(text, e.section(), e.key());
        return file + (line > 0 ? " line " + line : "");
    }

    /** Parses one YAML file into {@code type}, turning every failure into a Mi4jException. */
    public static <T> T read(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Mi4jException(file + ": no such config file");
        } catch (IOException e) {
            throw new Mi4jException(file + ": cannot read: " + e.getMessage());
        }
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new Mi4jException(file + ": empty config");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new Mi4jException(describe(file, text, e), e);
        }
    }

    static String describe(Path file, String text, JsonProcessingException e) {
        String where = file + location(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            // The YAML parser reads ahead, so Jackson's location can be past the key: report the
            // line of the key itself (the last occurrence at or before Jackson's line).
            int line = keyLine(text, String.valueOf(u.getPropertyName()), e.getLocation() == null ? Integer.MAX_VALUE
                    : e.getLocation().getLineNr());
            if (line > 0) {
                where = file + " line " + line;
            }
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return where + ": unknown key '" + path(u) + "'" + (known.isEmpty() ? "" : " (known keys here: " + known + ")");
        }
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof ConfigKeyException k) {
            return at(file, text, k, e.getLocation() == null ? Integer.MAX_VALUE : e.getLocation().getLineNr()) + ": "
                    + k.getMessage();
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return where + ": " + (path(v).isEmpty() ? "" : path(v) + ": ") + cause.getMessage();
        }
        if (e instanceof InvalidFormatException f) {
            return where + ": " + path(f) + ": expected " + typeName(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            return where + ": " + path(m) + ": expected " + typeName(m.getTargetType()) + " (" + m.getOriginalMessage().split("\n")[0] + ")";
        }
        return where + ": malformed YAML: " + e.getOriginalMessage().split("\n")[0];
    }

    /**
     * The line of {@code key} inside the top-level {@code section} (the section's own line when
     * the key is not written there), or -1 when the section is absent.
     */
    static int keyLineInSection(String text, String section, String key) {
        String[] lines = text.split("\\R", -1);
        java.util.regex.Pattern head = java.util.regex.Pattern.compile("^['\"]?" + java.util.regex.Pattern.quote(section)
                + "['\"]?\\s*:");
        java.util.regex.Pattern inner = java.util.regex.Pattern.compile("^\\s+['\"]?" + java.util.regex.Pattern.quote(key)
                + "['\"]?\\s*:");
        java.util.regex.Pattern flow = java.util.regex.Pattern.compile("[{,]\\s*['\"]?" + java.util.regex.Pattern.quote(key)
                + "['\"]?\\s*:");
        for (int i = 0; i < lines.length; i++) {
            if (!head.matcher(lines[i]).find()) {
                continue;
            }
            if (flow.matcher(lines[i]).find()) {
                return i + 1;   // attack: {name: x, alpha: 3}
            }
            for (int j = i + 1; j < lines.length && (lines[j].isBlank() || lines[j].startsWith(" ")
                    || lines[j].startsWith("\t") || lines[j].startsWith("#")); j++) {
                if (inner.matcher(lines[j]).find()) {
                    return j + 1;
                }
            }
            return i + 1;
        }
        return -1;
    }

    private static int keyLine(String text, String key, int notAfter) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("^\\s*(-\\s+)?['\"]?" + java.util.regex.Pattern.quote(key) + "['\"]?\\s*:");
        String[] lines = text.split("\\R", -1);
        int found = -1;
        for (int i = 0; i < lines.length && i < notAfter; i++) {
            if (p.matcher(lines[i]).find()) {
                found = i + 1;
            }
        }
        return found;
    }

    private static String location(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " line " + loc.getLineNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "a value";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class) {
            return "a number";
        }
        if (t == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "a " + t.getSimpleName() + " section";
    }
}
