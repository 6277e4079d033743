package dev.mi4j.attacks.miface.process;

import dev.mi4j.attacks.miface.process.ProcessStep;
import dev.mi4j.attacks.miface.process.ProcessSteps;
import dev.mi4j.core.model.Autoencoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Parses process-step specs from configs and the command line. A spec is one or more steps
 * joined by '+', applied left to right; each step is {@code name} or {@code name:k=v,k=v}:
 * <ul>
 *   <li>{@code identity} (also {@code none} or an empty spec)</li>
 *   <li>{@code denoise[:h=10,template=7,search=21]} - {@link NlMeansDenoise}</li>
 *   <li>{@code sharpen[:amount=1,sigma=1]} - {@link UnsharpMask}</li>
 *   <li>{@code dae[:h=10,template=7,search=21,amount=1,sigma=1]} - {@link DaeProjection}; needs the
 *       target's autoencoder</li>
 * </ul>
 * Omitted parameters take the defaults shown. Every step's {@link ProcessStep#name()} is its full
 * spec, so {@code parse(step.name())} gives an equal step back (chains included).
 */
public final class ProcessStepSpecs {

    private static final Set<String> DENOISE_KEYS = Set.of("h", "template", "search");
    private static final Set<String> SHARPEN_KEYS = Set.of("amount", "sigma");
    private static final Set<String> DAE_KEYS = Set.of("h", "template", "search", "amount", "sigma");

    private ProcessStepSpecs() {
    }

    /** Parses a spec without a {@code dae} step. */
    public static ProcessStep parse(String spec) {
        return parse(spec, null);
    }

    /**
     * Parses a spec; {@code autoencoder} (may be null) serves any {@code dae} step.
     *
     * @throws IllegalArgumentException naming the step or parameter at fault
     */
    public static ProcessStep parse(String spec, Autoencoder autoencoder) {
        return parse(spec, autoencoder, false);
    }

    /**
     * Checks a spec's syntax and parameter values without building it, so that a config can be
     * refused when it is loaded, before any model is trained; a {@code dae} step is checked
     * without an autoencoder.
     *
     * @throws IllegalArgumentException naming the step or parameter at fault
     */
    public static void check(String spec) {
        parse(spec, null, true);
    }

    /** True when the spec has a {@code dae} step (and so needs the target's autoencoder). */
    public static boolean needsAutoencoder(String spec) {
        return stepNames(spec).contains(DaeProjection.NAME);
    }

    /**
     * The names of a spec's steps, lower case and in order, without parameters and without
     * identity steps: {@code "denoise:h=5+DAE"} -> [denoise, dae], {@code "identity"} -> [].
     */
    public static List<String> stepNames(String spec) {
        List<String> names = new ArrayList<>();
        for (String s : spec.split("\\+", -1)) {
            String name = name(s);
            if (!name.isEmpty() && !name.equals("identity") && !name.equals("none")) {
                names.add(name);
            }
        }
        return names;
    }

    /** A step spec's name: the part before ':', trimmed, lower case. */
    private static String name(String stepSpec) {
        int colon = stepSpec.indexOf(':');
        return (colon < 0 ? stepSpec : stepSpec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    private static ProcessStep parse(String spec, Autoencoder autoencoder, boolean checkOnly) {
        if (spec == null) {
            throw new IllegalArgumentException("process: spec must not be null");
        }
        return parse(List.of(spec.split("\\+", -1)), autoencoder, checkOnly);
    }

    /** Parses a list of step specs (each may itself be a '+' chain) into their chain. */
    public static ProcessStep parse(List<String> specs, Autoencoder autoencoder) {
        return parse(specs, autoencoder, false);
    }

    private static ProcessStep parse(List<String> specs, Autoencoder autoencoder, boolean checkOnly) {
        Objects.requireNonNull(specs, "specs");
        List<ProcessStep> steps = new ArrayList<>();
        for (String s : specs) {
            if (s == null) {
                throw new IllegalArgumentException("process: step spec must not be null");
            }
            if (s.contains("+")) {
                steps.add(parse(s, autoencoder, checkOnly));
                continue;
            }
            ProcessStep step = parseOne(s.trim(), autoencoder, specs.size() == 1, checkOnly);
            if (step != ProcessSteps.identity()) {
                steps.add(step);
            }
        }
        return ProcessSteps.chain(steps);
    }

    private static ProcessStep parseOne(String spec, Autoencoder autoencoder, boolean alone, boolean checkOnly) {
        int colon = spec.indexOf(':');
        String name = name(spec);
        String args = colon < 0 ? "" : spec.substring(colon + 1);
        switch (name) {
            case "identity", "none", "" -> {
                if (name.isEmpty() && !alone) {
                    throw new IllegalArgumentException("process: empty step in a '+' chain");
                }
                Params.parse(name, args, Set.of());
                return ProcessSteps.identity();
            }
            case NlMeansDenoise.NAME -> {
                Params p = Params.parse(name, args, DENOISE_KEYS);
                NlMeansDenoise d = NlMeansDenoise.defaults();
                return new NlMeansDenoise(p.getDouble("h", d.h()), p.getInt("template", d.template()),
                        p.getInt("search", d.search()));
            }
            case UnsharpMask.NAME -> {
                Params p = Params.parse(name, args, SHARPEN_KEYS);
                UnsharpMask s = UnsharpMask.defaults();
                return new UnsharpMask(p.getDouble("amount", s.amount()), p.getDouble("sigma", s.sigma()));
            }
            case DaeProjection.NAME -> {
                Params p = Params.parse(name, args, DAE_KEYS);
                if (checkOnly) {
                    NlMeansDenoise d = NlMeansDenoise.defaults();
                    UnsharpMask s = UnsharpMask.defaults();
                    // The constructor validates every parameter; the stand-in coder is never run.
                    return new DaeProjection(x -> x, x -> x, p.getDouble("h", d.h()), p.getInt("template", d.template()),
                            p.getInt("search", d.search()), p.getDouble("amount", s.amount()), p.getDouble("sigma", s.sigma()));
                }
                if (autoencoder == null) {
                    throw new IllegalArgumentException("process: the dae step needs the target's autoencoder"
                            + " (a DAE target's <model>.autoencoder.zip)");
                }
                NlMeansDenoise d = NlMeansDenoise.defaults();
                UnsharpMask s = UnsharpMask.defaults();
                return DaeProjection.of(autoencoder, p.getDouble("h", d.h()), p.getInt("template", d.template()),
                        p.getInt("search", d.search()), p.getDouble("amount", s.amount()), p.getDouble("sigma", s.sigma()));
            }
            default -> throw new IllegalArgumentException("process: unknown step '" + name
                    + "' (expected identity, denoise, sharpen or dae)");
        }
    }
}
