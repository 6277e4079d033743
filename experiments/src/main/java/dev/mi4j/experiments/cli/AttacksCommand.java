package dev.mi4j.experiments.cli;

import dev.mi4j.attacks.AttackParameter;
import dev.mi4j.attacks.AttackRegistry;
import dev.mi4j.attacks.AttackDeclaration;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** mi4j attacks: every registered attack with its parameters, defaults and one-line docs. */
@Command(name = "attacks", mixinStandardHelpOptions = true,
        description = "List the registered attacks of every family (image inversion, attribute inference): each one's"
                + " parameters (the keys of a config's attack section and of 'invert --param'), their kinds, defaults,"
                + " whether a sweep may vary them, and what they mean.")
final class AttacksCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        common.apply();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (AttackDeclaration a : AttackRegistry.declarations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("family", a.family().name().toLowerCase(java.util.Locale.ROOT));
                m.put("default", a.name().equals(AttackRegistry.defaultName()));
                m.put("summary", a.summary());
                List<Map<String, Object>> params = new ArrayList<>();
                for (AttackParameter p : a.parameters()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("key", p.key());
                    pm.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
                    if (!p.choices().isEmpty()) {
                        pm.put("choices", p.choices());
                    }
                    pm.put("default", p.defaultValue());
                    pm.put("sweepable", p.sweepable());
                    pm.put("doc", p.doc());
                    params.add(pm);
                }
                m.put("parameters", params);
                rows.add(m);
            }
            System.out.println(Json.toJson(rows));
            return 0;
        }
        for (AttackDeclaration a : AttackRegistry.declarations()) {
            System.out.println(a.name() + (a.name().equals(AttackRegistry.defaultName()) ? " (default)" : "") + ": "
                    + a.summary() + " [" + a.family().description() + "]");
            if (a.parameters().isEmpty()) {
                System.out.println("  (no parameters)");
                System.out.println();
                continue;
            }
            TextTable t = new TextTable(List.of("parameter", "values", "default", "sweep", "meaning"));
            for (AttackParameter p : a.parameters()) {
                t.row(List.of(p.key(), p.kindName(), String.valueOf(p.defaultValue()), p.sweepable() ? "yes" : "no", p.doc()));
            }
            System.out.print(t);
            System.out.println();
        }
        return 0;
    }
}
