package dev.mi4j.attacks.attribute;

import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackParams;
import java.util.List;

/**
 * The baseline every attribute-inference result is measured against: guess the sensitive value
 * from its marginal prior alone, never asking the model. It always answers the most common
 * category (for the steak survey's cheating question, "No"), so its accuracy is that category's
 * share and its recall for any other category is 0. An attack that does not beat it has learnt
 * nothing from the model.
 */
public final class PriorBaseline implements AttributeAttack {

    /** Registry name. */
    public static final String NAME = "attribute-prior";

    private final AttributeKnowledge knowledge;

    public PriorBaseline(AttributeKnowledge knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public AttributeInference infer(double[][] records, int[] labels) {
        long start = System.currentTimeMillis();
        AttributeTargets.check(knowledge, records, labels, false);
        double[] prior = knowledge.prior();
        int[] out = new int[records.length];
        double[][] post = new double[records.length][];
        for (int i = 0; i < records.length; i++) {
            post[i] = new double[prior.length];
            AttributeTargets.decide(post[i], prior, out, i);
        }
        return new AttributeInference(out, post, 0, 0, System.currentTimeMillis() - start);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Its registry entry: no parameters. */
    public static final class Spec implements AttributeAttackSpec {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String summary() {
            return "baseline: the most likely sensitive value under its marginal prior, without querying the model";
        }

        @Override
        public List<AttackParameter> parameters() {
            return List.of();
        }

        @Override
        public void validate(AttackParams params) {
        }

        /** It never asks the model, so what the API releases does not change its answer. */
        @Override
        public boolean queriesModel() {
            return false;
        }

        @Override
        public AttributeAttack create(AttackParams params, AttributeKnowledge knowledge) {
            return new PriorBaseline(knowledge);
        }
    }
}
