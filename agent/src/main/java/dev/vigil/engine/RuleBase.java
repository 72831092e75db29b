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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private final long buildNanos;

    private RuleBase(KieBase kieBase, List<CompiledRule> rules, Set<String> metricNames, Set<String> forecastMetricNames,
                     Map<String, String> fileHashes, long buildNanos) {
        this.kieBase = kieBase;
        this.rules = List.copyOf(rules);
        this.metricNames = Collections.unmodifiableSet(new TreeSet<>(metricNames));
        this.forecastMetricNames = Collections.unmodifiableSet(new TreeSet<>(forecastMetricNames));
        this.fileHashes = Map.copyOf(fileHashes);
        this.buildNanos = buildNanos;
    }

    /**
     * Compiles DRL files into a rule base. Every compile error of every file is reported, with file and line;
     * nothing is returned unless all files compile.
     */
    public static RuleBase compile(List<ContentFile> drlFiles) throws ContentException {
        long start = System.nanoTime();
        if (drlFiles.isEmpty()) {
            throw new ContentException(new ContentError("rules/", 0, "", "no .drl files: there is nothing to match"));
        }
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(resource(new ContentFile("(built-in)/declarations.drl", declarations())), ResourceType.DRL);
        List<ContentError> errors = new ArrayList<>();
        for (ContentFile f : drlFiles) {
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
        var conf = KieServices.get().newKieBaseConfiguration();
        conf.setOption(EventProcessingOption.STREAM);
        InternalKnowledgeBase kbase = KnowledgeBaseFactory.newKnowledgeBase(conf);
        kbase.addPackages(builder.getKnowledgePackages());

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
        return new RuleBase(kbase, ordered, metrics, forecast, hashes, System.nanoTime() - start);
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

    public long buildMillis() {
        return buildNanos / 1_000_000;
    }
}
