package dev.mi4j.attacks.miface;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.attacks.InversionAttack;
import dev.mi4j.attacks.RunLabel;
import dev.mi4j.attacks.miface.process.ProcessStepSpecs;
import dev.mi4j.core.model.Objective;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MI-Face (Fredrikson, Jha &amp; Ristenpart, CCS 2015, Algorithm 1) for the {@link
 * dev.mi4j.attacks.AttackRegistry}: its declared parameters (the paper's values as defaults), the
 * rules they obey ({@link MiFaceParams} and {@link ProcessStepSpecs}), and the attack itself.
 * White-box and black-box MI-Face are the same attack: the black-box attacker's model view
 * estimates the gradient from queries ({@code dev.mi4j.attacks.blackbox}).
 */
public final class MiFaceSpec implements AttackSpec {

    public static final String NAME = "mi-face";
    /** The Process-step parameter: a {@link ProcessStepSpecs} spec. */
    public static final String PROCESS = "process";

    private static final MiFaceParams D = MiFaceParams.paperDefaults();

    private static final List<AttackParameter> PARAMETERS = List.of(
            AttackParameter.integer("alpha", D.alpha(), true, "maximum number of gradient steps (paper: 5000)"),
            AttackParameter.integer("beta", D.beta(), true,
                    "no-progress window: stop when c(x_i) >= the max of the previous beta costs (paper: 100)"),
            AttackParameter.real("gamma", D.gamma(), true,
                    "stopping threshold: p_label >= gamma (gammaMode confidence) or c <= gamma (literal_cost) (paper: 0.99)"),
            AttackParameter.choice("gammaMode", lower(D.gammaMode()), names(GammaMode.values()), true,
                    "how gamma is read: confidence (p_label) or literal_cost (the paper's printed test, stops at step 1)"),
            AttackParameter.real("lambda", D.lambda(), true, "gradient step size (paper: 0.1)"),
            AttackParameter.choice("objective", lower(D.objective()), names(Objective.values()), true,
                    "cost minimised: one_minus_p (paper), neg_log_p, neg_logit, margin"),
            AttackParameter.choice("init", lower(D.init()), List.of("zeros", "uniform", "mean"), true,
                    "start image: zeros (paper), uniform noise (seeded per target), mean (the mean training image)"),
            AttackParameter.longValue("seed", D.seed(), true, "seed of everything random (uniform init)"),
            AttackParameter.string(PROCESS, "identity", true,
                    "Process step after every gradient step: identity, denoise[:h,template,search], "
                            + "sharpen[:amount,sigma], dae[...] (Process-DAE, needs a dae target), chained with '+'"),
            AttackParameter.integer("snapshotEvery", D.snapshotEvery(), false,
                    "keep the iterate x_i whenever i % snapshotEvery == 0 (0: none)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "MI-Face, Fredrikson, Jha & Ristenpart, CCS 2015, Algorithm 1: gradient descent on the input from a"
                + " blank (or noise, or mean) image, batched over all targets; white-box, or black-box with an"
                + " estimated gradient";
    }

    @Override
    public List<AttackParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void validate(AttackParams params) {
        toMiFaceParams(params);
        try {
            ProcessStepSpecs.check(params.getString(PROCESS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROCESS + ": '" + params.getString(PROCESS) + "': " + e.getMessage(), e);
        }
    }

    /** The typed MI-Face parameters of validated values. */
    public static MiFaceParams toMiFaceParams(AttackParams p) {
        return new MiFaceParams(p.getInt("alpha"), p.getInt("beta"), p.getDouble("gamma"),
                GammaMode.parse(p.getString("gammaMode")), p.getDouble("lambda"), Objective.parse(p.getString("objective")),
                Init.parse(p.getString("init")), p.getLong("seed"), false, p.getInt("snapshotEvery"));
    }

    @Override
    public InversionAttack create(AttackParams params, AttackInputs in) {
        MiFaceParams p = toMiFaceParams(params).withRecordTrajectory(in.recordTrajectory());
        MiFace attack = new MiFace(in.model(), p)
                .process(ProcessStepSpecs.parse(params.getString(PROCESS), in.autoencoder()))
                .listener(in.listener());
        if (p.init().needsPrior()) {
            if (in.meanImage() == null) {
                throw new IllegalArgumentException("init: " + p.init() + " needs a prior image, and none was given");
            }
            attack.prior(in.meanImage());
        }
        return attack;
    }

    @Override
    public Set<AttackInputs.Need> needs(AttackParams params) {
        Set<AttackInputs.Need> needs = EnumSet.noneOf(AttackInputs.Need.class);
        if (Init.parse(params.getString("init")).needsPrior()) {
            needs.add(AttackInputs.Need.MEAN_IMAGE);
        }
        if (ProcessStepSpecs.needsAutoencoder(params.getString(PROCESS))) {
            needs.add(AttackInputs.Need.AUTOENCODER);
        }
        return needs;
    }

    @Override
    public String iterationsKey() {
        return "alpha";
    }

    @Override
    public String stepSizeKey() {
        return "lambda";
    }

    /**
     * Runs are named by their Process steps first ({@code dae + process dae, lambda 100}, folder
     * {@code dae-process-dae}), then the other overrides; without a Process step the folder is the
     * target's name.
     */
    @Override
    public RunLabel label(String target, AttackParams effective, Map<String, Object> overrides) {
        List<String> names = ProcessStepSpecs.stepNames(effective.getString(PROCESS));
        List<String> parts = new ArrayList<>();
        if (!names.isEmpty()) {
            parts.add("process " + String.join("+", names));
        }
        overrides.forEach((k, v) -> {
            if (!k.equals(PROCESS)) {
                parts.add(k + " " + v);
            }
        });
        String label = target + (parts.isEmpty() ? "" : (names.isEmpty() ? ", " : " + ") + String.join(", ", parts));
        String column = parts.isEmpty() ? "no process step" : String.join(", ", parts);
        String folder = names.isEmpty() ? target : target + "-process-" + String.join("-", names);
        return new RunLabel(label, column, folder);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> names(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(lower(v));
        }
        return out;
    }
}
