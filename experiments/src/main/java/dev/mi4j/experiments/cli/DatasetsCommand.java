package dev.mi4j.experiments.cli;

import dev.mi4j.core.io.Json;
import dev.mi4j.core.image.ImageShape;
import dev.mi4j.datasets.DatasetResolver;
import dev.mi4j.datasets.DatasetSpec;
import dev.mi4j.datasets.Resolution;
import dev.mi4j.datasets.SplitRule;
import dev.mi4j.experiments.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j datasets: where each registered dataset resolves and whether it verifies. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the registered datasets, their default split and input size (used when a command or config gives none), "
                + "where each resolves and whether it verifies against mi4j's SHA-256 manifest.")
final class DatasetsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        common.apply();
        List<Resolution> all = DatasetResolver.fromEnvironment().describeAll();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Resolution r : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.spec().name());
                m.put("description", r.spec().description());
                m.put("identities", r.spec().expectedIdentities());
                m.put("images", r.spec().expectedImages());
                m.put("nativeShape", shape(r.spec().nativeShape()));
                m.put("defaultShape", shape(r.spec().defaultShape()));
                SplitRule split = r.spec().defaultSplit();
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("trainPerIdentity", split.trainPerIdentity());
                sm.put("trainFraction", split.trainFraction());
                sm.put("seed", split.seed());
                m.put("defaultSplit", sm);
                m.put("origin", r.origin());
                m.put("path", r.root().map(Object::toString).orElse(null));
                m.put("verified", r.verified());
                m.put("message", r.message());
                rows.add(m);
            }
            System.out.println(Json.toJson(rows));
            return 0;
        }
        TextTable t = new TextTable(List.of("dataset", "identities", "images", "default input", "default split", "found",
                "path", "verified"));
        for (Resolution r : all) {
            t.row(List.of(r.spec().name(), String.valueOf(r.spec().expectedIdentities()),
                    String.valueOf(r.spec().expectedImages()), inputText(r.spec()), r.spec().defaultSplit().text(),
                    r.origin(), r.root().map(Object::toString).orElse("-"), r.verifiedText()));
        }
        System.out.print(t);
        // Tables (attribute inference): listed, not resolved here (resolving one reads and verifies the CSV).
        TextTable tables = new TextTable(List.of("table", "sensitive column", "positive value", "description"));
        for (dev.mi4j.datasets.TabularDatasetSpec spec : dev.mi4j.datasets.DatasetRegistry.allTabular()) {
            tables.row(List.of(spec.name(), spec.sensitive(), spec.positive(), spec.description()));
        }
        System.out.println();
        System.out.print(tables);
        return 0;
    }

    /** "grey 92x112 (native)" or "RGB 64x64 (from 250x250)": width x height, as image sizes are usually written. */
    static String inputText(DatasetSpec spec) {
        ImageShape d = spec.defaultShape();
        ImageShape n = spec.nativeShape();
        return (d.channels() == 1 ? "grey " : "RGB ") + d.width() + "x" + d.height()
                + (spec.defaultIsNativeSize() ? " (native)" : " (from " + n.width() + "x" + n.height() + ")");
    }

    private static Map<String, Object> shape(ImageShape s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", s.channels());
        m.put("height", s.height());
        m.put("width", s.width());
        return m;
    }
}
