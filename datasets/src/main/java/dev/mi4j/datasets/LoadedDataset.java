package dev.mi4j.datasets;

import dev.mi4j.core.data.LabeledImages;

/** Images of a dataset and where they were found (with the manifest hash, for provenance). */
public record LoadedDataset(LabeledImages images, ResolvedDataset resolved) {
}
