package dev.mi4j.experiments.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small study on the real steak survey: rows, pooled counts, determinism and the claims lines. */
class AttributeStudyTest {

    @TempDir
    Path tmp;

    private AttributeStudy.Result run() throws IOException {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, """
                study: attribute-inference
                name: small
                dataset: steak-survey
                seeds: [1, 2]
                targets:
                  - {name: tree, model: cart, maxDepth: 8}
                releases: [identity, label]
                attacks:
                  - name: attribute-prior
                  - name: attribute-blackbox
                  - name: attribute-whitebox
                """);
        return new AttributeStudy(AttributeStudyConfig.load(f), false).run(Optional.empty());
    }

    @Test
    void everyAttackOnEveryReleaseOnBothPopulationsPooledOverSeeds() throws IOException {
        AttributeStudy.Result r = run();
        // prior and white-box once (they do not query), the black-box once per release
        assertEquals(List.of("n/a|attribute-prior", "identity|attribute-blackbox", "n/a|attribute-whitebox",
                        "label|attribute-blackbox"),
                r.rows().stream().map(x -> x.release() + "|" + x.attack()).toList());
        for (AttributeStudy.Row row : r.rows()) {
            assertEquals(2 * 332, row.members().n() + row.nonMembers().n(), "each seed scores all 332, members or not");
            assertEquals(2 * 167, row.members().n(), "half of each class, rounded: 167 members a seed");
        }
        AttributeStudy.Row prior = r.rows().get(0);
        assertEquals(0, prior.members().tp() + prior.members().fp(), "the prior never says Yes");
        assertEquals(0, prior.queries());
        assertEquals(2 * 2 * 332L, r.rows().get(1).queries(), "two candidates per record, both populations, two seeds");
        assertEquals(2, r.models().size());
        assertEquals(r.rows(), run().rows(), "same seeds, same table");
        List<String> claims = AttributeStudy.claims(r.rows());
        assertTrue(claims.stream().anyMatch(l -> l.startsWith("tree, members' accuracy: whitebox")), claims.toString());
        assertTrue(claims.stream().allMatch(l -> l.endsWith(": holds") || l.endsWith(": does not hold")), claims.toString());
    }
}
