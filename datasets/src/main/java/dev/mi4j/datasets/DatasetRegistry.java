package dev.mi4j.datasets;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.image.ImageShape;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The named datasets mi4j knows. */
public final class DatasetRegistry {

    private static final String MANIFESTS = "/dev/mi4j/datasets/manifests/";

    /** Seed of every registered dataset's default split. */
    public static final long DEFAULT_SPLIT_SEED = 42;

    /**
     * AT&T / ORL faces, as taken from hakawa-bernardi/orl-face-recognition-pca-svm (see the
     * shared copy's README: the 400 files match the majority of public copies byte for byte).
     * Defaults: native 92x112 grey, and 7 training / 3 test images per identity, as in
     * Fredrikson et al., CCS 2015.
     */
    public static final DatasetSpec ATT_FACES = new DatasetSpec(
            "att-faces", "att_faces",
            "AT&T (ORL) Database of Faces: 40 subjects x 10 greyscale PGM images, 92x112",
            40, 400, new ImageShape(1, 112, 92), new ImageShape(1, 112, 92),
            SplitRule.perIdentity(7, DEFAULT_SPLIT_SEED),
            Pattern.compile("(s[0-9]+)/[0-9]+\\.pgm"),
            MANIFESTS + "att-faces.sha256",
            List.of(DownloadSource.githubCommit("hakawa-bernardi/orl-face-recognition-pca-svm",
                    "3edc842bc89bddbd3d6bcf12d23a4f9c2a493883", "orl_faces")),
            "Credit: Olivetti Research Laboratory / AT&T Laboratories Cambridge; cite F. Samaria and "
                    + "A. Harter, 1994. No licence text is given by the source.");

    /**
     * LFW deep-funneled, the 7 people with at least 70 images (scikit-learn's min_faces_per_person=70).
     * Defaults: RGB resized (area-averaged) to 64x64, 12,288 inputs, of the order of AT&T's 10,304 so
     * that the same architectures and attack budgets apply (GMI's generator also makes 64x64);
     * 250x250x3 would be 187,500 inputs per image. Split: 0.7 of each identity's images for
     * training, since the identities have 71 to 530 images and a fixed count either starves the
     * large ones or leaves small ones untested.
     */
    public static final DatasetSpec LFW_MIN70 = new DatasetSpec(
            "lfw-min70", "lfw_deepfunneled_min70",
            "Labeled Faces in the Wild, deep-funneled, people with >= 70 images: 7 people, 1288 RGB JPEGs, 250x250",
            7, 1288, new ImageShape(3, 250, 250), new ImageShape(3, 64, 64),
            SplitRule.fraction(0.7, DEFAULT_SPLIT_SEED),
            Pattern.compile("([^/]+)/[^/]+\\.jpg"),
            MANIFESTS + "lfw-min70.sha256",
            // The whole deep-funneled gallery (~117 MB); only the 1288 manifest files are extracted.
            List.of(DownloadSource.githubCommit("umass-vis-lfw/umass-vis-lfw.github.io",
                    "2a620cd8cceb10430f8c7012fe9fa5f0837759e9", "images_deepfunneled")),
            "No licence text; cite Huang et al. 2007 (LFW) and Huang et al. NIPS 2012 (deep funneling). "
                    + "LFW results do not show fitness for commercial use.");

    /**
     * Yale faces; this copy has 164 of 165 images (subject01.centerlight is missing everywhere).
     * Defaults: grey, a quarter of the native size in each direction (80x60, area-averaged; 4,800
     * inputs), where the face, about 45% of the frame's width, is still ~35 pixels across. Split: 0.7
     * of each identity's images for training (subject01 has 10 images, the others 11): 119 / 45.
     */
    public static final DatasetSpec YALE = new DatasetSpec(
            "yale", "yalefaces",
            "Yale Face Database: 15 subjects, 164 greyscale GIFs 320x243 (subject01.centerlight missing)",
            15, 164, new ImageShape(1, 243, 320), new ImageShape(1, 60, 80),
            SplitRule.fraction(0.7, DEFAULT_SPLIT_SEED),
            Pattern.compile("(subject[0-9]+)\\.[a-z]+"),
            MANIFESTS + "yale.sha256",
            List.of(DownloadSource.githubCommit("leecarraher/pattern_recognition",
                    "b072a1f88e7b5e3356e61b3724615f78ab4194f6", "yalefaces")),
            "Research use; cite Belhumeur, Hespanha, Kriegman, IEEE TPAMI 1997. "
                    + "Do not redistribute as part of a larger public database.");

    private static final List<DatasetSpec> ALL = List.of(ATT_FACES, LFW_MIN70, YALE);

    /** FiveThirtyEight's steak-and-risk survey (CCS 2015 Section 4); its schema: {@link SteakSurvey}. */
    public static final TabularDatasetSpec STEAK_SURVEY = SteakSurvey.SPEC;

    private static final List<TabularDatasetSpec> TABLES = List.of(STEAK_SURVEY);

    private DatasetRegistry() {
    }

    public static List<DatasetSpec> all() {
        return ALL;
    }

    /** The dataset with this name; an unknown name is a user error that lists the known ones. */
    public static DatasetSpec get(String name) {
        for (DatasetSpec s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new Mi4jException("unknown dataset '" + name + "'; known datasets: "
                + ALL.stream().map(DatasetSpec::name).collect(Collectors.joining(", ")));
    }

    /** The registered tables. */
    public static List<TabularDatasetSpec> allTabular() {
        return TABLES;
    }

    /** The table with this name; an unknown name is a user error that lists the known tables. */
    public static TabularDatasetSpec tabular(String name) {
        for (TabularDatasetSpec s : TABLES) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new Mi4jException("unknown tabular dataset '" + name + "'; known tables: "
                + TABLES.stream().map(TabularDatasetSpec::name).collect(Collectors.joining(", ")));
    }
}
