package dev.mi4j.attacks.gmi;

import dev.mi4j.attacks.AttackInputs;
import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import dev.mi4j.attacks.AttackSpec;
import dev.mi4j.attacks.InversionAttack;
import java.util.List;
import java.util.Set;

/**
 * GMI (Zhang et al., CVPR 2020) for the {@link dev.mi4j.attacks.AttackRegistry}: GMI's latent
 * search with GMI's values as defaults ({@link GmiParams}), needing a GAN prior
 * ({@link AttackInputs.Need#GENERATOR}). White-box and black-box GMI are the same attack: a
 * black-box attacker's model view estimates the identity term's image gradient from confidence
 * queries ({@code dev.mi4j.attacks.blackbox}); the generator and discriminator are the attacker's
 * own and stay white-box.
 */
public final class GmiSpec implements AttackSpec {

    public static final String NAME = "gmi";

    private static final GmiParams D = GmiParams.defaults();

    private static final List<AttackParameter> PARAMETERS = List.of(
            AttackParameter.integer("iterations", D.iterations(), true, "latent steps per restart (GMI: 1500)"),
            AttackParameter.real("lambda", D.lambda(), true, "weight of the identity term -log p_label (GMI: 100)"),
            AttackParameter.real("priorWeight", D.priorWeight(), true,
                    "weight of the discriminator term -log D(G(z)) (GMI: 1; 0 switches the GAN's discriminator off)"),
            AttackParameter.real("lr", D.lr(), true, "learning rate of the latent search (GMI: 0.02)"),
            AttackParameter.real("momentum", D.momentum(), true, "momentum of GMI's update (GMI: 0.9)"),
            AttackParameter.real("clip", D.clip(), true, "z is clamped to [-clip, clip] after every step (GMI: 1)"),
            AttackParameter.integer("restarts", D.restarts(), true,
                    "random starts per identity, the one with the highest final p_label kept (GMI: 5)"),
            AttackParameter.choice("reduction", "mean", List.of("mean", "sum"), true,
                    "mean: the batch's loss is averaged over identities as in GMI (each z moves lr/n); sum: each row its own loss"),
            AttackParameter.longValue("seed", D.seed(), true, "seed of the start codes (per seed, label and restart)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "GMI, Zhang et al., CVPR 2020: search the latent code of a GAN trained on public faces for the image the"
                + " target labels as the identity (discriminator prior + lambda * cross-entropy, GMI's momentum update,"
                + " z clamped, best of several restarts), batched over identities and restarts; needs a GAN prior";
    }

    @Override
    public List<AttackParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void validate(AttackParams params) {
        toGmiParams(params);
    }

    /** The typed parameters of validated values. */
    public static GmiParams toGmiParams(AttackParams p) {
        return new GmiParams(p.getInt("iterations"), p.getDouble("lambda"), p.getDouble("priorWeight"), p.getDouble("lr"),
                p.getDouble("momentum"), p.getDouble("clip"), p.getInt("restarts"),
                GmiParams.Reduction.parse(p.getString("reduction")), p.getLong("seed"));
    }

    @Override
    public InversionAttack create(AttackParams params, AttackInputs in) {
        if (in.generator() == null) {
            throw new IllegalArgumentException("generator: attack gmi needs a GAN prior trained on public faces, and none"
                    + " was given (configs: a gan: section; mi4j train --model gan)");
        }
        return new Gmi(in.model(), in.generator(), toGmiParams(params)).listener(in.listener())
                .recordTrajectory(in.recordTrajectory());
    }

    @Override
    public Set<AttackInputs.Need> needs(AttackParams params) {
        return Set.of(AttackInputs.Need.GENERATOR);
    }

    @Override
    public String iterationsKey() {
        return "iterations";
    }

    @Override
    public String stepSizeKey() {
        return "lr";
    }
}
