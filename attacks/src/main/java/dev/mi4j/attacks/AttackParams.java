package dev.mi4j.attacks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The validated parameter values of one attack: every declared key with a value of its declared
 * kind (defaults filled in), checked by the attack's own rules ({@link AttackDeclaration#validate}).
 * Immutable; {@link #with} gives a new, re-validated set.
 */
public final class AttackParams {

    private final AttackDeclaration spec;
    private final Map<String, Object> values;

    private AttackParams(AttackDeclaration spec, Map<String, Object> values) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(values);
    }

    /** The attack's defaults (validated: a spec whose defaults do not pass its own rules is a bug). */
    public static AttackParams defaults(AttackDeclaration spec) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (AttackParameter p : spec.parameters()) {
            v.put(p.key(), p.defaultValue());
        }
        AttackParams params = new AttackParams(spec, v);
        spec.validate(params);
        return params;
    }

    /**
     * These values with {@code overrides} (raw values from a config, a sweep or the command line)
     * coerced to their declared kinds, then validated.
     *
     * @throws IllegalArgumentException starting with the key: an unknown key (the known ones are
     *                                  listed), a value of the wrong kind, or one the attack's rules refuse
     */
    public AttackParams with(Map<String, ?> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, Object> v = new LinkedHashMap<>(values);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            AttackParameter p = spec.parameter(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException(e.getKey() + ": not a parameter of attack " + spec.name() + " (known: "
                        + String.join(", ", new TreeSet<>(values.keySet())) + ")");
            }
            v.put(p.key(), p.coerce(e.getValue()));
        }
        AttackParams params = new AttackParams(spec, v);
        spec.validate(params);
        return params;
    }

    /** One value with another: {@code with(Map.of(key, value))}. */
    public AttackParams with(String key, Object value) {
        return with(Map.of(key, value));
    }

    /**
     * These values with the attack's iteration cap ({@link AttackSpec#iterationsKey()}) lowered to
     * at most {@code max} (quick runs, a black-box attacker's own budget); unchanged for an attack
     * without one.
     */
    public AttackParams withIterationsAtMost(int max) {
        String key = spec.iterationsKey();
        return key == null || getInt(key) <= max ? this : with(key, max);
    }

    /** These values with the attack's step size ({@link AttackSpec#stepSizeKey()}), if it has one. */
    public AttackParams withStepSize(double stepSize) {
        String key = spec.stepSizeKey();
        return key == null ? this : with(key, stepSize);
    }

    /** The attack's {@code seed} parameter, or {@code fallback} when it declares none. */
    public long seedOr(long fallback) {
        return values.containsKey("seed") ? getLong("seed") : fallback;
    }

    /** The attack's iteration cap, or -1 when it has none. */
    public int iterations() {
        String key = spec.iterationsKey();
        return key == null ? -1 : getInt(key);
    }

    /** The declaration of the attack these values belong to, whatever its family. */
    public AttackDeclaration declaration() {
        return spec;
    }

    /**
     * The image-inversion spec these values belong to.
     *
     * @throws IllegalStateException for an attack of another family (use {@link #declaration()})
     */
    public AttackSpec spec() {
        if (spec instanceof AttackSpec s) {
            return s;
        }
        throw new IllegalStateException("attack " + spec.name() + " is an " + spec.family().description()
                + " attack, not an image inversion");
    }

    public Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(key + ": not a parameter of attack " + spec.name());
        }
        return values.get(key);
    }

    public int getInt(String key) {
        return ((Number) get(key)).intValue();
    }

    public long getLong(String key) {
        return ((Number) get(key)).longValue();
    }

    public double getDouble(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return String.valueOf(get(key));
    }

    /** Every value, in declaration order (for provenance and result files). */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttackParams a && a.spec.name().equals(spec.name()) && a.values.equals(values);
    }

    @Override
    public int hashCode() {
        return spec.name().hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return spec.name() + values;
    }
}
