package dev.mi4j.defenses.training;

import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One declared parameter of a training defense: its key, what it means, whether it must be given,
 * its default, and the values it accepts. Declaring parameters up front lets the registry reject
 * an unknown or out-of-range key with one line before any training starts, and list every
 * defense's parameters for help texts.
 *
 * @param key          spec key, lower case
 * @param doc          one line: meaning and unit
 * @param required     must the spec give it
 * @param defaultValue value when not given (a Double or a String); null: absent unless given
 * @param rule         human-readable accepted range, e.g. "&gt; 0"; for choices, the choices
 * @param valid        accepts a number (numbers only; null for choices)
 * @param choices      accepted strings (choices only; null for numbers)
 */
public record DefenseParam(String key, String doc, boolean required, Object defaultValue, String rule,
                           DoublePredicate valid, List<String> choices) {

    public DefenseParam {
        if (key == null || !key.equals(key.toLowerCase(Locale.ROOT)) || key.isBlank()) {
            throw new IllegalArgumentException("key: must be a non-blank lower-case word, got " + key);
        }
        if ((valid == null) == (choices == null)) {
            throw new IllegalArgumentException(key + ": exactly one of valid (number) and choices must be given");
        }
        choices = choices == null ? null : List.copyOf(choices);
    }

    /** A number that must be given. */
    public static DefenseParam required(String key, String doc, String rule, DoublePredicate valid) {
        return new DefenseParam(key, doc, true, null, rule, valid, null);
    }

    /** A number with a default (null: absent unless given). */
    public static DefenseParam optional(String key, String doc, Double defaultValue, String rule, DoublePredicate valid) {
        return new DefenseParam(key, doc, false, defaultValue, rule, valid, null);
    }

    /** One of fixed strings, with a default. */
    public static DefenseParam choice(String key, String doc, String defaultValue, String... choices) {
        return new DefenseParam(key, doc, false, defaultValue, String.join("|", choices), null, List.of(choices));
    }

    public boolean isNumber() {
        return valid != null;
    }

    /** Parses and checks {@code text}; the message names the parameter. */
    Object parse(String defense, String text) {
        String t = text.trim();
        if (!isNumber()) {
            String v = t.toLowerCase(Locale.ROOT);
            if (!choices.contains(v)) {
                throw new IllegalArgumentException(defense + " " + key + ": must be one of " + rule + ", got '" + text
                        + "'");
            }
            return v;
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(defense + " " + key + ": must be a number, got '" + text + "'");
        }
        check(defense, v);
        return v;
    }

    /** Checks a number against the declared range; the message names the parameter. */
    public void check(String defense, double v) {
        if (Double.isNaN(v) || !valid.test(v)) {
            throw new IllegalArgumentException(defense + " " + key + ": must be " + rule + ", got " + v);
        }
    }
}
