package dev.mi4j.core.data;

/** A train/test split of one labelled image set; how it was made is recorded for provenance. */
public record Split(LabeledImages train, LabeledImages test, String description) {
}
