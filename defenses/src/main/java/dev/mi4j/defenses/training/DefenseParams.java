package dev.mi4j.defenses.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A defense's parameter values after parsing and validation against its declared
 * {@link DefenseParam}s: every key that has a value (given or default), in declaration order.
 */
public final class DefenseParams {

    private final String defense;
    private final Map<String, Object> values;

    private DefenseParams(String defense, Map<String, Object> values) {
        this.defense = defense;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Resolves {@code given} (key to number or string) against {@code declared}: unknown keys,
     * missing required keys and values out of range are refused with one line naming them.
     */
    public static DefenseParams resolve(String defense, List<DefenseParam> declared, Map<String, ?> given) {
        Map<String, DefenseParam> byKey = new LinkedHashMap<>();
        for (DefenseParam p : declared) {
            byKey.put(p.key(), p);
        }
        List<String> unknown = given.keySet().stream().filter(k -> !byKey.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(defense + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (" + defense + " takes " + String.join(", ", byKey.keySet()) + ")");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (DefenseParam p : declared) {
            Object v = given.get(p.key());
            if (v == null) {
                if (p.required()) {
                    throw new IllegalArgumentException(defense + " " + p.key() + ": required (" + p.doc() + ")");
                }
                v = p.defaultValue();
            } else if (v instanceof String s) {
                v = p.parse(defense, s);
            } else if (v instanceof Number n && p.isNumber()) {
                p.check(defense, n.doubleValue());
                v = n.doubleValue();
            } else {
                throw new IllegalArgumentException(defense + " " + p.key() + ": must be "
                        + (p.isNumber() ? "a number" : "one of " + p.rule()) + ", got " + v);
            }
            if (v != null) {
                values.put(p.key(), v);
            }
        }
        return new DefenseParams(defense, values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public double number(String key) {
        Object v = values.get(key);
        if (!(v instanceof Double d)) {
            throw new IllegalArgumentException(defense + " " + key + ": no number given");
        }
        return d;
    }

    public String choice(String key) {
        Object v = values.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(defense + " " + key + ": no value given");
        }
        return s;
    }

    /** Key to value, declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }
}
