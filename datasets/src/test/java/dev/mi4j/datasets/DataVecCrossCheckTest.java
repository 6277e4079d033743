package dev.mi4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mi4j.core.data.LabeledImages;
import dev.mi4j.core.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.datavec.image.loader.NativeImageLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * mi4j's dataset pixels against an independent decoder, DataVec's {@link NativeImageLoader}
 * (OpenCV's codecs). mi4j reads PGM itself and JPEG through the JDK's ImageIO (docs/datasets.md
 * says why); both must give exactly OpenCV's 8-bit samples divided by 255. (OpenCV 4.5.5 has no GIF
 * codec, so Yale is not compared.)
 */
class DataVecCrossCheckTest {

    private static DatasetResolver sharedOnly(Path cache) {
        return new DatasetResolver(new DatasetLocations(Optional.empty(), Optional.of(TestData.sharedDatasets()),
                cache, false));
    }

    /** DataVec's decode of one file as [c, h, w] FLOAT in [0, 1], channels in RGB order. */
    private static INDArray dataVec(NativeImageLoader loader, Path file) throws IOException {
        INDArray bgr = loader.asMatrix(file.toFile()).get(NDArrayIndex.point(0)).castTo(DataType.FLOAT).divi(255f);
        if (bgr.size(0) == 1) {
            return bgr;
        }
        INDArray rgb = bgr.dup();
        for (int c = 0; c < 3; c++) {
            rgb.get(NDArrayIndex.point(c)).assign(bgr.get(NDArrayIndex.point(2 - c)));
        }
        return rgb;
    }

    @Test
    void everyAttImageIsExactlyOpenCvsPgmDecode(@TempDir Path cache) throws IOException {
        LoadedDataset ds = Datasets.load(sharedOnly(cache), "att-faces", Optional.empty(),
                LoadOptions.defaults(DatasetRegistry.ATT_FACES));
        LabeledImages d = ds.images();
        NativeImageLoader grey = new NativeImageLoader(0, 0, 1);
        for (int i = 0; i < d.size(); i++) {
            INDArray theirs = dataVec(grey, ds.resolved().root().resolve(d.sources().get(i)));
            assertEquals(theirs, d.images().get(NDArrayIndex.point(i)), d.sources().get(i));
        }
    }

    @Test
    void lfwJpegsDecodeToOpenCvsRgbExactlyAndToItsGreyWithinHalfALevel() throws IOException {
        Path root = TestData.shared(DatasetRegistry.LFW_MIN70);
        var entries = new ImageFolderReader(DatasetRegistry.LFW_MIN70.filePattern()).list(root);
        NativeImageLoader rgb = new NativeImageLoader(0, 0, 3);
        NativeImageLoader grey = new NativeImageLoader(0, 0, 1);
        double maxGreyDiff = 0;
        int compared = 0;
        // Every 23rd of the 1288 files: 56 images of all 7 people.
        for (int i = 0; i < entries.size(); i += 23) {
            Path file = root.resolve(entries.get(i).relativePath());
            INDArray ours = ImageDecoder.read(file, false, 0, 0);
            INDArray theirs = dataVec(rgb, file);
            assertArrayEquals(new long[] {3, 250, 250}, ours.shape());
            assertEquals(theirs, ours, file.toString());
            // Grey: mi4j keeps the BT.601 luma as a float; OpenCV computes it with 14-bit fixed-point
            // weights and rounds it to 8 bits: half a level, plus ~0.005 from the weights.
            INDArray greyDiff = ImageDecoder.read(file, true, 0, 0).sub(dataVec(grey, file));
            maxGreyDiff = Math.max(maxGreyDiff, org.nd4j.linalg.ops.transforms.Transforms.abs(greyDiff).maxNumber().doubleValue());
            compared++;
        }
        assertEquals(56, compared);
        assertTrue(maxGreyDiff <= 0.51 / 255, "grey differs by about half a level at most: " + maxGreyDiff * 255);
        assertTrue(maxGreyDiff > 0, "OpenCV's grey is rounded, mi4j's is not");
    }
}
