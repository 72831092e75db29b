package dev.vigil.engine;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * A compiled, immutable rule base: the KieBase (stream mode) built from DRL files, the rules with their metadata and
 * source lines, and the metric names the rules refer to. Thread-safe; compiling is done off the engine thread.
 *
 * <p>Only metric names written as literals ({@code name == "x"} or {@code name in ("x", "y")}) in a
 * {@code SeriesState} pattern are known to the condense stage; samples of other names are counted and dropped.
 * Likewise, the series of the names a {@code Forecast} pattern opens with ({@code Forecast( name == "x", ...)} or
 * {@code Forecast( name in ("x", "y"), ...)}) get online detectors.
 */
public final class RuleBase {
    private static final String DECLARATIONS = "/dev/vigil/engine/declarations.drl";
    private static final String DECLARATIONS_PATH = "(built-in)/declarations.drl";
    private static final String DECLARATIONS_PACKAGE = "vigil.declarations";
    /** The package Drools puts the rules of a file without a {@code package} line in. */
    private static final String DEFAULT_PACKAGE = "defaultpkg";
    /**
     * Packages with more rules than this are not kept for the next reload: Drools' deep copy of a package costs more
     * than compiling it again once it holds thousands of rules (library + 1,000 generated signatures: ~10 s to copy,
     * ~4 s to compile).
     */
    private static final int KEEP_AT_MOST_RULES = 500;
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");
    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NAME_EQ = Pattern.compile("\\bname\\s*==\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");
    private static final Pattern NAME_IN = Pattern.compile("\\bname\\s+in\\s*\\(([^)]*)\\)");
    private static final Pattern FORECAST_NAME = Pattern.compile(
            "\\bForecast\\s*\\(\\s*name\\s*(?:==\\s*(\"[a-zA-Z_:][a-zA-Z0-9_:]*\")|in\\s*\\(([^)]*)\\))");
    private static final Pattern QUOTED = Pattern.compile("\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");

    private final KieBase kieBase;
    private final List<CompiledRule> rules;
    private final Set<String> metricNames;
    private final Set<String> forecastMetricNames;
    private final Map<String, String> fileHashes;
    /** The compiled packages by {@link #unitKey}, for the next rule base to reuse. */
    private final Map<String, Unit> units;
    private final int reused;
    private final int compiled;
    private final long buildNanos;

    private RuleBase(KieBase kieBase, List<CompiledRule> rules, Set<String> metricNames, Set<String> forecastMetricNames,
                     Map<String, String> fileHashes, Map<String, Unit> units, int reused, int compiled, long buildNanos) {
        this.kieBase = kieBase;
        this.rules = List.copyOf(rules);
        this.metricNames = Collections.unmodifiableSet(new TreeSet<>(metricNames));
        this.forecastMetricNames = Collections.unmodifiableSet(new TreeSet<>(forecastMetricNames));
        this.fileHashes = Map.copyOf(fileHashes);
        this.units = Map.copyOf(units);
        this.reused = reused;
        this.compiled = compiled;
        this.buildNanos = buildNanos;
    }

    /**
     * Compiles DRL files into a rule base. Every compile error of every file is reported, with file and line;
     * nothing is returned unless all files compile.
     */
    public static RuleBase compile(List<ContentFile> drlFiles) throws ContentException {
        return compile(drlFiles, null);
    }

    /**
     * Like {@link #compile(List)}, but the DRL packages whose files are byte for byte those {@code previous} was
     * built from are not compiled again: their compiled form is copied from {@code previous}. Compiling DRL (parsing,
     * MVEL analysis, ECJ for the consequences) takes seconds for the library, so a reload that changes one file pays
     * for that file's package only. Packages of more than {@link #KEEP_AT_MOST_RULES} rules are compiled every time.
     *
     * @param previous the rule base running now, or null to compile everything
     */
    public static RuleBase compile(List<ContentFile> drlFiles, RuleBase previous) throws ContentException {
        long start = System.nanoTime();
        if (drlFiles.isEmpty()) {
            throw new ContentException(new ContentError("rules/", 0, "", "no .drl files: there is nothing to match"));
        }
        Map<String, Unit> units = new LinkedHashMap<>();
        Map<String, List<ContentFile>> changed = new LinkedHashMap<>();
        int reused = 0;
        for (Map.Entry<String, List<ContentFile>> group : byPackage(drlFiles).entrySet()) {
            String key = unitKey(group.getValue());
            Unit cached = previous == null ? null : previous.units.get(key);
            if (cached != null) {
                units.put(key, cached);
                reused++;
            } else {
                changed.put(group.getKey(), group.getValue());
            }
        }
        // The changed packages that are kept for reuse in one builder, the large ones in another: one ECJ run each is
        // much cheaper at start than one per package, and copying a kept package into a KieBase also copies every
        // class its builder made, so the large packages' classes must not be in the same builder.
        Map<Boolean, List<List<ContentFile>>> byKept = new HashMap<>();
        changed.values().forEach(g -> byKept.computeIfAbsent(ruleCount(g) <= KEEP_AT_MOST_RULES, k -> new ArrayList<>()).add(g));
        List<ContentError> errors = new ArrayList<>();
        List<KiePackage> notKept = new ArrayList<>();
        for (boolean kept : new boolean[] {true, false}) {
            List<List<ContentFile>> groups = byKept.getOrDefault(kept, List.of());
            Map<String, List<InternalKnowledgePackage>> compiled;
            try {
                compiled = Unit.compileAll(groups.stream().flatMap(List::stream).toList());
            } catch (ContentException e) {
                errors.addAll(e.errors());
                continue;
            }
            for (List<ContentFile> group : groups) {
                String pkg = packageOf(group.get(0));
                List<InternalKnowledgePackage> pkgs = compiled.getOrDefault(pkg.isEmpty() ? DEFAULT_PACKAGE : pkg, List.of());
                if (kept) {
                    units.put(unitKey(group), new Unit(pkgs));
                } else {
                    notKept.addAll(pkgs); // used as compiled, and compiled again on the next reload
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        var conf = KieServices.get().newKieBaseConfiguration();
        conf.setOption(EventProcessingOption.STREAM);
        InternalKnowledgeBase kbase = KnowledgeBaseFactory.newKnowledgeBase(conf);
        List<KiePackage> packages = new ArrayList<>(BuiltIn.DECLARATIONS.copyFor(kbase));
        units.values().forEach(u -> packages.addAll(u.copyFor(kbase)));
        packages.addAll(notKept);
        kbase.addPackages(packages);

        Map<String, CompiledRule> byName = new HashMap<>();
        Set<String> metrics = new TreeSet<>();
        Set<String> forecast = new TreeSet<>();
        Map<String, String> hashes = new HashMap<>();
        Map<String, String[]> locations = new HashMap<>();
        for (ContentFile f : drlFiles) {
            hashes.put(f.path(), f.sha256());
            metrics.addAll(metricNamesIn(f.text()));
            forecast.addAll(forecastMetricNamesIn(f.text()));
            Matcher m = RULE.matcher(f.text());
            while (m.find()) {
                int line = 1 + (int) f.text().substring(0, m.start(1)).chars().filter(c -> c == '\n').count();
                locations.put(m.group(1), new String[] {f.path(), Integer.toString(line)});
            }
        }
        for (KiePackage pkg : kbase.getKiePackages()) {
            for (Rule r : pkg.getRules()) {
                Map<String, String> meta = new HashMap<>();
                r.getMetaData().forEach((k, v) -> meta.put(k, v == null ? "" : unquote(String.valueOf(v))));
                String[] loc = locations.getOrDefault(r.getName(), new String[] {"(built-in)", "0"});
                byName.put(pkg.getName() + "." + r.getName(),
                        new CompiledRule(r.getName(), loc[0], Integer.parseInt(loc[1]), meta));
            }
        }
        List<CompiledRule> ordered = new ArrayList<>(byName.values());
        ordered.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
        metrics.addAll(forecast); // a forecast is made from the series' samples: they must be kept
        return new RuleBase(kbase, ordered, metrics, forecast, hashes, units, reused, changed.size(), System.nanoTime() - start);
    }

    /** The files of each DRL package, by package: a package is compiled as a whole, as its files share functions. */
    private static Map<String, List<ContentFile>> byPackage(List<ContentFile> drlFiles) {
        Map<String, List<ContentFile>> groups = new LinkedHashMap<>();
        for (ContentFile f : drlFiles) {
            groups.computeIfAbsent(packageOf(f), k -> new ArrayList<>()).add(f);
        }
        return groups;
    }

    private static String packageOf(ContentFile f) {
        Matcher m = PACKAGE.matcher(f.text());
        return m.find() ? m.group(1) : "";
    }

    private static int ruleCount(List<ContentFile> group) {
        return group.stream().mapToInt(f -> (int) RULE.matcher(f.text()).results().count()).sum();
    }

    /** What a compiled package depends on: the path and text of each of its files. */
    private static String unitKey(List<ContentFile> group) {
        StringBuilder key = new StringBuilder();
        group.stream().sorted(Comparator.comparing(ContentFile::path))
                .forEach(f -> key.append(f.path()).append('\0').append(f.sha256()).append('\0'));
        return key.toString();
    }

    /**
     * The compiled packages of one group of files, kept pristine: no KieBase ever uses these objects, each gets its
     * own deep copy, so a later rule base can copy them while an earlier one is running (a session may rewrite
     * parts of the packages it uses, such as constraints it JIT-compiles).
     */
    private static final class Unit {
        private final List<InternalKnowledgePackage> packages;

        Unit(List<InternalKnowledgePackage> packages) {
            this.packages = List.copyOf(packages);
            // Drools hands a package to the first KieBase that asks for it as is and copies it only afterwards:
            // claim that first use here, so every KieBase gets a copy
            packages.forEach(p -> p.deepCloneIfAlreadyInUse(p.getPackageClassLoader()));
        }

        /**
         * Compiles the files (built-in declarations first, so event types are known) into their packages, by package
         * name. Every error of every file is reported with file and line.
         */
        static Map<String, List<InternalKnowledgePackage>> compileAll(List<ContentFile> files) throws ContentException {
            Map<String, List<InternalKnowledgePackage>> byName = new HashMap<>();
            if (files.isEmpty()) {
                return byName;
            }
            boolean declarationsOnly = files.size() == 1 && files.get(0).path().equals(DECLARATIONS_PATH);
            KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
            if (!declarationsOnly) {
                builder.add(resource(declarationsFile()), ResourceType.DRL);
            }
            List<ContentError> errors = new ArrayList<>();
            for (ContentFile f : files) {
                builder.add(resource(f), ResourceType.DRL);
                if (builder.hasErrors()) {
                    for (KnowledgeBuilderError e : builder.getErrors()) {
                        int[] lines = e.getLines();
                        int line = lines != null && lines.length > 0 ? Math.max(lines[0], 0) : 0;
                        String msg = e.getMessage() == null ? "compile error" : e.getMessage().strip().replaceAll("\\s+", " ");
                        errors.add(new ContentError(f.path(), line, "", msg));
                    }
                    builder.undo();
                }
            }
            if (!errors.isEmpty()) {
                throw new ContentException(errors);
            }
            for (KiePackage p : builder.getKnowledgePackages()) {
                // every compile includes the declarations, but only the built-in copy of them goes into a KieBase
                if (declarationsOnly || !p.getName().equals(DECLARATIONS_PACKAGE)) {
                    byName.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add((InternalKnowledgePackage) p);
                }
            }
            return byName;
        }

        List<KiePackage> copyFor(InternalKnowledgeBase kbase) {
            List<KiePackage> copies = new ArrayList<>(packages.size());
            for (InternalKnowledgePackage p : packages) {
                copies.add(p.deepCloneIfAlreadyInUse(kbase.getRootClassLoader()));
            }
            return copies;
        }
    }

    static Set<String> metricNamesIn(String drl) {
        Set<String> names = new TreeSet<>();
        Matcher eq = NAME_EQ.matcher(drl);
        while (eq.find()) {
            names.add(eq.group(1));
        }
        Matcher in = NAME_IN.matcher(drl);
        while (in.find()) {
            Matcher q = QUOTED.matcher(in.group(1));
            while (q.find()) {
                names.add(q.group(1));
            }
        }
        return names;
    }

    static Set<String> forecastMetricNamesIn(String drl) {
        Set<String> names = new TreeSet<>();
        Matcher f = FORECAST_NAME.matcher(drl);
        while (f.find()) {
            Matcher q = QUOTED.matcher(f.group(1) != null ? f.group(1) : f.group(2));
            while (q.find()) {
                names.add(q.group(1));
            }
        }
        return names;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static org.kie.api.io.Resource resource(ContentFile f) {
        return ResourceFactory.newByteArrayResource(f.text().getBytes(StandardCharsets.UTF_8))
                .setSourcePath(f.path().replace('/', '_') + (f.path().endsWith(".drl") ? "" : ".drl"));
    }

    /** The built-in declarations, compiled once per JVM (on first use) and copied into every KieBase. */
    private static final class BuiltIn {
        static final Unit DECLARATIONS;

        static {
            try {
                DECLARATIONS = new Unit(Unit.compileAll(List.of(declarationsFile())).getOrDefault(DECLARATIONS_PACKAGE, List.of()));
            } catch (ContentException e) {
                throw new IllegalStateException("the built-in declarations do not compile: " + e.getMessage(), e);
            }
        }
    }

    private static ContentFile declarationsFile() {
        return new ContentFile(DECLARATIONS_PATH, declarations());
    }

    private static String declarations() {
        try (InputStream in = RuleBase.class.getResourceAsStream(DECLARATIONS)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DECLARATIONS);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KieBase kieBase() {
        return kieBase;
    }

    public List<CompiledRule> rules() {
        return rules;
    }

    /** The metric names some rule refers to: the condense stage keeps only these. */
    public Set<String> metricNames() {
        return metricNames;
    }

    /** The metric names some rule reads a {@code Forecast} of: the condense stage runs detectors on their series. */
    public Set<String> forecastMetricNames() {
        return forecastMetricNames;
    }

    /** SHA-256 of each DRL file, by path. */
    public Map<String, String> fileHashes() {
        return fileHashes;
    }

    /** How many DRL packages were compiled for this rule base; the others were copied from the previous one. */
    public int packagesCompiled() {
        return compiled;
    }

    /** How many DRL packages were copied, unchanged, from the previous rule base instead of being compiled. */
    public int packagesReused() {
        return reused;
    }

    public long buildMillis() {
        return buildNanos / 1_000_000;
    }
}
