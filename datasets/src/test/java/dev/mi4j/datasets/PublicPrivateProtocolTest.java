package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageGrid;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GMI's public/private protocol on the shared datasets: who is where, and that nobody is in both. */
class PublicPrivateProtocolTest {

    private static PublicPrivateProtocol.Faces faces;

    @BeforeAll
    static void build() {
        faces = PublicPrivateProtocol.build(PublicPrivateProtocol.Spec.DEFAULT,
                new DatasetResolver(TestData.onlyCache(TestData.sharedDatasets().resolve("none"), false)),
                Map.of("att-faces", TestData.sharedDatasets(), "lfw-min70", TestData.sharedDatasets(),
                        "yale", TestData.sharedDatasets()));
        // For a person to look at: 8 private faces, then 8 of each public dataset, as the networks see them.
        List<INDArray> show = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            show.add(faces.privateSet().images().slice(i * 10));
        }
        for (String prefix : List.of("att-faces/", "lfw-min70/", "yale/")) {
            int shown = 0;
            for (int i = 0; i < faces.publicSet().size() && shown < 8; i += 7) {
                if (faces.publicSet().sources().get(i).startsWith(prefix)) {
                    show.add(faces.publicSet().images().slice(i));
                    shown++;
                }
            }
        }
        ImageGrid.write(Nd4j.stack(0, show.toArray(new INDArray[0])), 8, 3, Path.of("target", "protocol-preview.png"));
    }

    @Test
    void countsAreTheDocumentedOnes() {
        LabeledImages priv = faces.privateSet();
        LabeledImages pub = faces.publicSet();
        assertEquals(20, priv.numClasses());
        assertEquals(200, priv.size());
        // 20 AT&T identities (200) + LFW-min70 (7 people, 1288) + Yale (15 people, 164).
        assertEquals(20 + 7 + 15, pub.numClasses());
        assertEquals(200 + 1288 + 164, pub.size());
        assertEquals("att-faces-private-s42-32px", priv.name());
        assertEquals(1, priv.shape().channels());
        assertEquals(32, priv.shape().height());
        assertEquals(32, pub.shape().width());
        assertTrue(faces.description().startsWith("private: 20 of 40 att-faces identities"), faces.description());
        double min = Math.min(priv.images().minNumber().doubleValue(), pub.images().minNumber().doubleValue());
        double max = Math.max(priv.images().maxNumber().doubleValue(), pub.images().maxNumber().doubleValue());
        assertTrue(min >= 0 && max <= 1, "pixels in [0, 1]");
    }

    @Test
    void noIdentityFileOrImageIsInBothSets() {
        LabeledImages priv = faces.privateSet();
        LabeledImages pub = faces.publicSet();
        // Identities: the public AT&T people are the other half of the split.
        Set<String> privateIds = new HashSet<>(priv.classNames());
        for (String p : pub.classNames()) {
            if (p.startsWith("att-faces/")) {
                assertFalse(privateIds.contains(p.substring("att-faces/".length())), p + " is private and public");
            }
        }
        assertEquals(40, privateIds.size() + pub.classNames().stream().filter(n -> n.startsWith("att-faces/")).count());
        // Files: no private file is a public source.
        Set<String> privateFiles = new HashSet<>(priv.sources());
        for (String s : pub.sources()) {
            assertFalse(s.startsWith("att-faces/") && privateFiles.contains(s.substring("att-faces/".length())), s);
        }
        // Pixels: no public image equals a private one (the strongest check that none leaked).
        Set<ByteBuffer> privatePixels = new HashSet<>();
        for (int i = 0; i < priv.size(); i++) {
            privatePixels.add(ByteBuffer.wrap(bytes(priv.images().slice(i))));
        }
        assertEquals(priv.size(), privatePixels.size());
        for (int i = 0; i < pub.size(); i++) {
            assertFalse(privatePixels.contains(ByteBuffer.wrap(bytes(pub.images().slice(i)))),
                    "public image " + pub.sources().get(i) + " equals a private image");
        }
    }

    @Test
    void sameSpecSameSetsAndFingerprint() {
        PublicPrivateProtocol.Faces again = PublicPrivateProtocol.build(PublicPrivateProtocol.Spec.DEFAULT,
                new DatasetResolver(TestData.onlyCache(TestData.sharedDatasets().resolve("none"), false)),
                Map.of("att-faces", TestData.sharedDatasets(), "lfw-min70", TestData.sharedDatasets(),
                        "yale", TestData.sharedDatasets()));
        assertEquals(faces.publicSha256(), again.publicSha256());
        assertEquals(faces.privateSet().classNames(), again.privateSet().classNames());
        assertEquals(faces.privateSet().images(), again.privateSet().images());
        // Another seed puts other people in private.
        PublicPrivateProtocol.Spec other = new PublicPrivateProtocol.Spec("att-faces", 7L, List.of(), 32);
        PublicPrivateProtocol.Faces f7 = PublicPrivateProtocol.build(other,
                new DatasetResolver(TestData.onlyCache(TestData.sharedDatasets().resolve("none"), false)),
                Map.of("att-faces", TestData.sharedDatasets()));
        assertNotEquals(faces.privateSet().classNames(), f7.privateSet().classNames());
        assertNotEquals(faces.publicSha256(), f7.publicSha256());
        assertEquals(200, f7.publicSet().size());
    }

    @Test
    void specRefusesThePrivateDatasetAsPublicAndUnknownNames() {
        Mi4jException e = assertThrows(Mi4jException.class,
                () -> new PublicPrivateProtocol.Spec("att-faces", 1, List.of("att-faces"), 32));
        assertTrue(e.getMessage().startsWith("protocol.public: att-faces is the private dataset"), e.getMessage());
        assertThrows(Mi4jException.class, () -> new PublicPrivateProtocol.Spec("att-faces", 1, List.of("celeba"), 32));
        assertThrows(Mi4jException.class, () -> new PublicPrivateProtocol.Spec("att-faces", 1, List.of("yale", "yale"), 32));
        Mi4jException s = assertThrows(Mi4jException.class, () -> new PublicPrivateProtocol.Spec("att-faces", 1, List.of(), 4));
        assertTrue(s.getMessage().startsWith("protocol.size"), s.getMessage());
    }

    private static byte[] bytes(INDArray chw) {
        float[] f = chw.dup().data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(f.length * 4);
        for (float v : f) {
            b.putFloat(v);
        }
        return Arrays.copyOf(b.array(), b.capacity());
    }
}
