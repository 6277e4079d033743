package dev.mi4j.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mi4j.attacks.miface.GammaMode;
import dev.mi4j.attacks.miface.Init;
import dev.mi4j.attacks.miface.MiFaceParams;
import dev.mi4j.attacks.miface.process.ProcessStepSpecs;
import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.model.Objective;

/**
 * The attack section of a config: MI-Face and its parameters. Missing values take the paper's
 * defaults (alpha 5000, beta 100, gamma 0.99 as a confidence, lambda 0.1, zeros init, 1 - p).
 * {@code process} is the Process step after every gradient step, a {@link ProcessStepSpecs} spec
 * ({@code identity}, {@code denoise}, {@code sharpen}, {@code dae} with parameters, '+' chains);
 * a target may compare several runs with other values ({@link ExperimentConfig#variants}).
 */
public record AttackConfig(
        @JsonProperty("name") String name,
        @JsonProperty("alpha") Integer alpha,
        @JsonProperty("beta") Integer beta,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("gammaMode") String gammaMode,
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("objective") String objective,
        @JsonProperty("init") String init,
        @JsonProperty("seed") Long seed,
        @JsonProperty("targets") String targets,
        @JsonProperty("process") String process) {

    public AttackConfig {
        name = name == null ? "mi-face" : name;
        if (!name.equals("mi-face")) {
            throw new Mi4jException("attack.name: unknown attack '" + name + "' (known: mi-face)");
        }
        targets = targets == null ? "all" : targets;
        process = process == null ? "identity" : process;
        checkProcess("attack.process", process);
    }

    public static AttackConfig paperDefaults() {
        return new AttackConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Refuses a malformed process spec (see {@link ProcessStepSpecs}) while the config is loaded,
     * naming {@code field}; a {@code dae} step is checked without its autoencoder, which only
     * the trained target has.
     */
    static void checkProcess(String field, String spec) {
        try {
            ProcessStepSpecs.check(spec);
        } catch (IllegalArgumentException e) {
            throw new Mi4jException(field + ": '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** The validated attack parameters (bad values are rejected naming the parameter). */
    public MiFaceParams toParams() {
        MiFaceParams d = MiFaceParams.paperDefaults();
        return new MiFaceParams(
                alpha == null ? d.alpha() : alpha,
                beta == null ? d.beta() : beta,
                gamma == null ? d.gamma() : gamma,
                gammaMode == null ? d.gammaMode() : GammaMode.parse(gammaMode),
                lambda == null ? d.lambda() : lambda,
                objective == null ? d.objective() : Objective.parse(objective),
                init == null ? d.init() : Init.parse(init),
                seed == null ? d.seed() : seed,
                d.recordTrajectory(),
                d.snapshotEvery());
    }

    /** The process spec of a sweep trial: its "process" value, else this section's. */
    public String process(java.util.Map<String, Object> overrides) {
        Object v = overrides.get("process");
        return v == null ? process : v.toString();
    }

    /** These parameters with the given overrides (a sweep trial's values, by attack key). */
    public MiFaceParams toParams(java.util.Map<String, Object> overrides) {
        MiFaceParams p = toParams();
        for (var e : overrides.entrySet()) {
            Object v = e.getValue();
            p = switch (e.getKey()) {
                case "alpha" -> p.withAlpha(((Number) v).intValue());
                case "beta" -> p.withBeta(((Number) v).intValue());
                case "gamma" -> p.withGamma(((Number) v).doubleValue());
                case "gammaMode" -> p.withGammaMode(GammaMode.parse(v.toString()));
                case "lambda" -> p.withLambda(((Number) v).doubleValue());
                case "objective" -> p.withObjective(Objective.parse(v.toString()));
                case "init" -> p.withInit(Init.parse(v.toString()));
                case "seed" -> p.withSeed(((Number) v).longValue());
                case "process" -> {
                    checkProcess("process", v.toString());
                    yield p;   // not a MiFaceParams value: see process(overrides)
                }
                default -> throw new Mi4jException("sweep: unknown attack parameter '" + e.getKey() + "'");
            };
        }
        return p;
    }
}
