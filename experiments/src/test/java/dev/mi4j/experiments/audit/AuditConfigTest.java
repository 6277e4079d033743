package dev.mi4j.experiments.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.attacks.AttackParams;
import dev.mi4j.core.Mi4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** configs/audit.yaml spells out the built-in defaults; mistakes in an audit config are one line naming file and key. */
class AuditConfigTest {

    static final Path SHIPPED = Path.of("..", "configs", "audit.yaml");

    @TempDir
    Path tmp;

    @Test
    void theShippedConfigIsTheDefaults() {
        AuditConfig file = AuditConfig.load(SHIPPED);
        AuditConfig d = AuditConfig.defaults();
        assertEquals(d.risk(), file.risk());
        assertEquals(d.evaluator(), file.evaluator());
        assertEquals(d.blackBoxIdentities(), file.blackBoxIdentities());
        assertEquals(d.blackBox().blackbox(), file.blackBox().blackbox());
        assertEquals(d.countermeasures(), file.countermeasures());
        assertEquals(d.quick(), file.quick());
        assertEquals(d.gan().config(), file.gan().config());
        assertEquals(d.attribute(), file.attribute(), "the tabular audit's attacks, countermeasures and thresholds");
        for (String[] e : new String[][] {{"whiteBox"}, {"blackBox"}, {"gmi"}}) {
            List<AttackParams> a = d.params(e[0].equals("whiteBox") ? d.whiteBox() : e[0].equals("blackBox") ? d.blackBox() : d.gmi(), e[0]);
            List<AttackParams> b = file.params(e[0].equals("whiteBox") ? file.whiteBox() : e[0].equals("blackBox") ? file.blackBox()
                    : file.gmi(), e[0]);
            assertEquals(a, b, e[0]);
        }
        assertEquals(3, d.whiteBox().runs().size());
        assertEquals(300, d.params(d.blackBox(), "blackBox").get(0).iterations(), "the black-box section caps MI-Face's alpha");
    }

    @Test
    void attributeSectionMistakesNameTheKey() throws Exception {
        Path f = tmp.resolve("attr.yaml");
        Files.writeString(f, "attribute:\n  gainHigh: 1.5\n");
        assertTrue(assertThrows(Mi4jException.class, () -> AuditConfig.load(f)).getMessage().contains("attribute.gainHigh"));
        Files.writeString(f, "attribute:\n  attacks:\n    - name: attribute-nope\n");
        assertTrue(assertThrows(Mi4jException.class, () -> AuditConfig.load(f)).getMessage().contains("attribute-nope"));
        Files.writeString(f, "attribute:\n  gainMedium: 0.1\n  gainHigh: 0.05\n");
        assertTrue(assertThrows(Mi4jException.class, () -> AuditConfig.load(f)).getMessage().contains("must not exceed"));
    }

    @Test
    void mistakesNameFileLineOrKey() throws Exception {
        Path f = tmp.resolve("a.yaml");
        Files.writeString(f, "risk:\n  overalHigh: 0.3\n");
        Mi4jException e = assertThrows(Mi4jException.class, () -> AuditConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line 2")
                && e.getMessage().contains("overalHigh"), e.getMessage());
        Files.writeString(f, "whiteBox:\n  label: wb\n  attack: {name: mi-face, alpha: -3}\n");
        e = assertThrows(Mi4jException.class, () -> AuditConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("whiteBox.attack.alpha"), e.getMessage());
        Files.writeString(f, "countermeasures:\n  policies: [round:7x]\n");
        e = assertThrows(Mi4jException.class, () -> AuditConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("countermeasures.policies"), e.getMessage());
    }
}
