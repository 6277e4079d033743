package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.AttackSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code attack:} section of a config: which attack ({@code name:}, one of
 * {@link AttackRegistry}; the default attack when absent), which identities it attacks
 * ({@code targets:}), and values for the attack's declared parameters (every other key). Missing
 * parameters take the attack's defaults (for MI-Face, the paper's values). A key the attack does
 * not declare, a value of the wrong kind and a value its rules refuse are each one line naming
 * the file, the line and the key ({@link ConfigKeyException}, reported by {@link ConfigLoader}).
 */
public final class AttackConfig {

    private final String name;
    private final String targets;
    private final Map<String, Object> values = new LinkedHashMap<>();

    @JsonCreator
    public AttackConfig(@JsonProperty("name") String name, @JsonProperty("targets") String targets) {
        this.name = name == null ? AttackRegistry.defaultName() : name;
        this.targets = targets == null ? "all" : targets;
    }

    /** A section with these parameter values (raw, as in a file). */
    public static AttackConfig of(String name, String targets, Map<String, ?> values) {
        AttackConfig c = new AttackConfig(name, targets);
        if (values != null) {
            values.forEach((k, v) -> {
                if (v != null) {
                    c.set(k, v);
                }
            });
        }
        return c;
    }

    /** The default attack with its defaults, on all identities. */
    public static AttackConfig defaults() {
        return new AttackConfig(null, null);
    }

    @JsonAnySetter
    void set(String key, Object value) {
        values.put(key, value);
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonProperty("targets")
    public String targets() {
        return targets;
    }

    /** The parameter values as written (without name and targets). */
    @JsonAnyGetter
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The attack this section names. */
    public AttackSpec spec() {
        try {
            return AttackRegistry.get(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigKeyException("attack", "name", "attack.name: " + e.getMessage(), e);
        }
    }

    /** The section's validated parameters: the attack's defaults with this section's values. */
    public AttackParams params() {
        return validated("attack", spec().defaults(), values);
    }

    /** The section's parameters with {@code overrides} (a sweep trial's or a variant's values). */
    public AttackParams params(Map<String, Object> overrides) {
        return validated("attack", params(), overrides);
    }

    /**
     * {@code base} with {@code overrides}, a refusal reported as {@code <field>.<key>: ...} with the
     * key for the loader to find its line.
     */
    public static AttackParams validated(String field, AttackParams base, Map<String, ?> overrides) {
        try {
            return base.with(overrides);
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            String key = msg.split("[ :]", 2)[0];
            throw new ConfigKeyException(field, key, field + "." + msg, e);
        }
    }

    @Override
    public String toString() {
        return "attack " + name + " on " + targets + " " + values;
    }
}
