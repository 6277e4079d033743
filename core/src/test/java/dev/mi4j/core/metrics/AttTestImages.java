package dev.mi4j.core.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads AT&amp;T faces for tests: locates {@code shared/datasets} (MI4J_DATA_DIR, or walking up from
 * the working directory) and parses binary PGM directly (ImageIO cannot read PGM without
 * --add-exports, and core must not depend on the datasets module).
 */
final class AttTestImages {

    private AttTestImages() {
    }

    /** The datasets directory, or null if there is none. */
    static Path dataDir() {
        String env = System.getenv("MI4J_DATA_DIR");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/datasets");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** att_faces/&lt;relative&gt; as a [1, h, w] FLOAT tensor, bytes / 255. */
    static INDArray read(Path dataDir, String relative) throws IOException {
        byte[] data = Files.readAllBytes(dataDir.resolve("att_faces").resolve(relative));
        String[] tokens = new String[4];
        int pos = 0;
        for (int t = 0; t < 4; t++) {
            while (Character.isWhitespace(data[pos]) || data[pos] == '#') {
                if (data[pos] == '#') {
                    while (data[pos] != '\n') {
                        pos++;
                    }
                }
                pos++;
            }
            int start = pos;
            while (!Character.isWhitespace(data[pos])) {
                pos++;
            }
            tokens[t] = new String(data, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII);
        }
        pos++; // single whitespace byte before the raster
        if (!tokens[0].equals("P5") || !tokens[3].equals("255")) {
            throw new IOException(relative + ": not an 8-bit binary PGM");
        }
        int w = Integer.parseInt(tokens[1]);
        int h = Integer.parseInt(tokens[2]);
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (data[pos + i] & 0xff) / 255f;
        }
        return Nd4j.create(px, new long[] {1, h, w}, DataType.FLOAT);
    }
}
