package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.core.Mi4jException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a config's {@code attacks:} list: a labelled attack run against every target, side
 * by side with the others (e.g. MI-Face, GMI white-box, GMI black-box).
 *
 * @param label    the column name in the table and the comparison gallery (unique in the list)
 * @param attack   which attack and its parameters, as an {@code attack:} section (with its {@code targets:})
 * @param variants optional overrides of the attack's sweepable keys, each run; the comparison
 *                 gallery shows the variant with the best evaluation top-1 accuracy (then mean
 *                 p_label), and the table lists every one (e.g. MI-Face's objectives and inits)
 * @param blackbox present for a black-box attacker: the gradient estimator in front of the
 *                 target ({@link BlackBoxConfig}: its alpha and lambda cap the attack's iterations
 *                 and set its step size through the attack's own keys)
 */
public record AttackEntry(@JsonProperty("label") String label, @JsonProperty("attack") AttackConfig attack,
                          @JsonProperty("variants") List<Map<String, Object>> variants,
                          @JsonProperty("blackbox") BlackBoxConfig blackbox) {

    public AttackEntry {
        if (label == null || label.isBlank()) {
            throw new Mi4jException("label: every entry of attacks: needs a label (its column in tables and galleries)");
        }
        if (attack == null) {
            throw new Mi4jException("attack: entry '" + label + "' needs an attack: section (at least {name: ...})");
        }
        if (variants != null) {
            if (variants.isEmpty()) {
                throw new Mi4jException("variants: entry '" + label + "' lists none; list at least one or leave it out");
            }
            List<Map<String, Object>> copy = new ArrayList<>();
            for (Map<String, Object> v : variants) {
                copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(v == null ? Map.of() : v)));
            }
            variants = List.copyOf(copy);
        }
    }

    /** The runs of this entry: its variants, or one run as configured. */
    public List<Map<String, Object>> runs() {
        return variants != null ? variants : List.of(Map.of());
    }

    public boolean blackBox() {
        return blackbox != null;
    }

    /** A file-name form of the label. */
    public String folder() {
        return label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("(^-|-$)", "");
    }
}
