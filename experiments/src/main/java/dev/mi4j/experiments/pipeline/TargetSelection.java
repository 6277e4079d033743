package dev.mi4j.experiments.pipeline;

import dev.mi4j.core.Mi4jException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses which identities to attack: "all", or a comma list of labels (0-based) or identity names. */
public final class TargetSelection {

    private TargetSelection() {
    }

    public static int[] parse(String spec, List<String> classNames, String paramName) {
        String s = spec == null ? "all" : spec.trim();
        if (s.equalsIgnoreCase("all")) {
            return java.util.stream.IntStream.range(0, classNames.size()).toArray();
        }
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int label;
            if (p.matches("\\d+")) {
                label = Integer.parseInt(p);
                if (label >= classNames.size()) {
                    throw new Mi4jException(paramName + ": label " + label + " is out of range (the dataset has "
                            + classNames.size() + " identities, labels 0.." + (classNames.size() - 1) + ")");
                }
            } else {
                label = classNames.indexOf(p);
                if (label < 0) {
                    throw new Mi4jException(paramName + ": no identity named '" + p + "' (expected 'all', labels or names such as "
                            + classNames.get(0) + ")");
                }
            }
            if (!out.add(label)) {
                throw new Mi4jException(paramName + ": identity " + p + " is listed twice");
            }
        }
        if (out.isEmpty()) {
            throw new Mi4jException(paramName + ": no identities selected");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
