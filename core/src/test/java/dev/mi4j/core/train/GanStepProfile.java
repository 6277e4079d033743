package dev.mi4j.core.train;

import dev.mi4j.core.image.ImageShape;
import dev.mi4j.core.model.DcGan;
import dev.mi4j.core.model.Gan;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Measurement utility, not a test: time of each part of one GAN step. Arguments: side width. */
public final class GanStepProfile {
    public static void main(String[] args) {
        int side = Integer.parseInt(args[0]);
        int width = Integer.parseInt(args[1]);
        ImageShape shape = new ImageShape(1, side, side);
        MultiLayerNetwork g = DcGan.generator(shape, 100, width, 1, new Adam(2e-4), DataType.FLOAT);
        MultiLayerNetwork d = DcGan.discriminator(shape, width, 2, new Adam(2e-4), DataType.FLOAT);
        Gan gan = new Gan(g, d, shape, 100, null);
        INDArray z = Nd4j.randn(DataType.FLOAT, 64, 100);
        INDArray real = Nd4j.rand(DataType.FLOAT, 64, 1, side, side);
        INDArray y = Nd4j.concat(0, Nd4j.ones(DataType.FLOAT, 64, 1), Nd4j.zeros(DataType.FLOAT, 64, 1));
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            g.setInput(z);
            List<INDArray> acts = g.feedForward(true, false);
            INDArray fake = acts.get(acts.size() - 1);
            long t1 = System.nanoTime();
            d.fit(new DataSet(Nd4j.concat(0, real, fake), y));
            long t2 = System.nanoTime();
            var loss = gan.discriminatorLoss(fake);
            long t3 = System.nanoTime();
            g.backpropGradient(loss.gradient(), LayerWorkspaceMgr.noWorkspaces());
            long t4 = System.nanoTime();
            INDArray gi = gan.generate(z);
            long t5 = System.nanoTime();
            System.out.printf("G fwd %.2f  D fit(128) %.2f  D vjp(64) %.2f  G bwd %.2f  G inference fwd %.2f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
        }
    }
}
