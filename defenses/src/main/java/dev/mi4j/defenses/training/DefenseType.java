package dev.mi4j.defenses.training;

import java.util.List;
import java.util.function.Function;

/**
 * A registry entry: a defense's name, what it does, its declared parameters, which one a bare
 * value means ({@code ls:-0.05} is {@code ls:factor=-0.05}), and how to make it from validated values.
 *
 * @param name       registry name
 * @param summary    one line
 * @param params     declared parameters, in the order specs and records list them
 * @param positional key a bare first value stands for; null when the defense takes none
 * @param factory    makes the defense (may refuse combinations of values, naming them)
 */
public record DefenseType(String name, String summary, List<DefenseParam> params, String positional,
                          Function<DefenseParams, TrainingDefense> factory) {

    public DefenseType {
        params = List.copyOf(params);
        if (positional != null && params.stream().noneMatch(p -> p.key().equals(positional))) {
            throw new IllegalArgumentException("positional: " + positional + " is not a parameter of " + name);
        }
    }

    /** The forms a spec of this defense takes, for messages and help. */
    public String usage() {
        StringBuilder sb = new StringBuilder(name);
        String sep = ":";
        for (DefenseParam p : params) {
            sb.append(sep).append(p.required() ? "" : "[").append(p.key()).append("=<").append(p.rule()).append('>')
                    .append(p.required() ? "" : "]");
            sep = ",";
        }
        return sb.toString();
    }
}
