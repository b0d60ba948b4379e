package dev.signet.server.policy;

import dev.signet.policy.Advisories;
import dev.signet.policy.Advisory;
import dev.signet.policy.FilePolicy;
import dev.signet.policy.FileRule;
import dev.signet.policy.MinAge;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules in force: those of the configuration, those added through the admin API (exemptions and blocks, persisted
 * by {@link PolicyState}) and the imported advisories, composed into one {@link FilePolicy}. Every change bumps
 * {@link #generation()}, so pages published under older rules are published again. Also remembers what each rule
 * blocked lately, for the admin API. Thread-safe; changes are serialised on this object.
 */
public final class PolicyRules {

    /** One refusal, for "what did this rule block lately". */
    public record Blocked(Instant at, String project, String file) {}

    /** How many recent refusals are kept per rule. */
    static final int RECENT = 10;

    private final MinAge configuredMinAge;
    private final List<FileRule> configuredBlocks;
    private final String advisorySeverity;
    private final Set<String> advisoryIds;
    private final AtomicLong generation = new AtomicLong(1);
    private volatile FilePolicy policy;
    private List<FileRule> adminExemptions = List.of();
    private List<FileRule> adminBlocks = List.of();
    private Collection<Advisory> advisories = List.of();
    private final Map<String, Deque<Blocked>> recent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public PolicyRules(MinAge configuredMinAge, List<FileRule> configuredBlocks, String advisorySeverity,
                       Set<String> advisoryIds) {
        this.configuredMinAge = configuredMinAge;
        this.configuredBlocks = List.copyOf(configuredBlocks);
        this.advisorySeverity = advisorySeverity;
        this.advisoryIds = Set.copyOf(advisoryIds);
        rebuild();
    }

    public FilePolicy current() {
        return policy;
    }

    public long generation() {
        return generation.get();
    }

    /** Something besides the rules changed what pages show (a refusal was remembered): publish pages again. */
    void bump() {
        generation.incrementAndGet();
    }

    public synchronized void replaceAdminRules(List<FileRule> exemptions, List<FileRule> blocks) {
        this.adminExemptions = List.copyOf(exemptions);
        this.adminBlocks = List.copyOf(blocks);
        rebuild();
    }

    public synchronized void replaceAdvisories(Collection<Advisory> imported) {
        this.advisories = List.copyOf(imported);
        rebuild();
    }

    public synchronized List<FileRule> adminExemptions() {
        return adminExemptions;
    }

    public synchronized List<FileRule> adminBlocks() {
        return adminBlocks;
    }

    public synchronized int advisoryCount() {
        return advisories.size();
    }

    private void rebuild() {
        List<FileRule> blocks = new ArrayList<>(configuredBlocks);
        blocks.addAll(adminBlocks);
        policy = new FilePolicy(configuredMinAge.withExemptions(adminExemptions), blocks,
                new Advisories(advisories, advisorySeverity, advisoryIds));
        generation.incrementAndGet();
    }

    void recordBlock(String rule, String project, String file, Instant at) {
        counts.computeIfAbsent(rule, r -> new AtomicLong()).incrementAndGet();
        Deque<Blocked> list = recent.computeIfAbsent(rule, r -> new ArrayDeque<>());
        synchronized (list) {
            list.addFirst(new Blocked(at, project, file));
            while (list.size() > RECENT) {
                list.removeLast();
            }
        }
    }

    /** For the admin API: each rule in force, where it comes from, how often it refused and what, newest first. */
    public synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        configuredBlocks.forEach(r -> out.add(entry("block", "config", r.text())));
        adminBlocks.forEach(r -> out.add(entry("block", "admin", r.text())));
        configuredMinAge.exemptions().forEach(r -> out.add(entry("exempt", "config", r.text())));
        adminExemptions.forEach(r -> out.add(entry("exempt", "admin", r.text())));
        if (configuredMinAge.active()) {
            Map<String, Object> minAge = entry("min-age", "config", "min-age");
            minAge.put("min_age_seconds", configuredMinAge.all().toSeconds());
            Map<String, Long> overrides = new LinkedHashMap<>();
            configuredMinAge.overrides().forEach(o -> overrides.put(o.pattern(), o.minAge().toSeconds()));
            minAge.put("overrides_seconds", overrides);
            // Refusals for age are recorded under "min-age 7d" style names; sum those that are this rule's.
            long count = 0;
            List<Blocked> lately = new ArrayList<>();
            for (Map.Entry<String, Deque<Blocked>> e : recent.entrySet()) {
                if (e.getKey().startsWith("min-age ")) {
                    count += counts.get(e.getKey()).get();
                    synchronized (e.getValue()) {
                        lately.addAll(e.getValue());
                    }
                }
            }
            lately.sort((a, b) -> b.at().compareTo(a.at()));
            minAge.put("blocked", count);
            minAge.put("lately", lately.stream().limit(RECENT).map(PolicyRules::blocked).toList());
            out.add(minAge);
        }
        Map<String, Object> advisories = entry("advisories", "osv", "advisories");
        advisories.put("imported", this.advisories.size());
        advisories.put("block_severity", advisorySeverity == null ? "off" : advisorySeverity);
        advisories.put("block_ids", advisoryIds);
        long count = 0;
        List<Blocked> lately = new ArrayList<>();
        for (Map.Entry<String, Deque<Blocked>> e : recent.entrySet()) {
            if (!e.getKey().startsWith("min-age ") && policyRuleTexts().noneMatch(e.getKey()::equals)) {
                count += counts.get(e.getKey()).get();
                synchronized (e.getValue()) {
                    e.getValue().forEach(b -> lately.add(b));
                }
            }
        }
        lately.sort((a, b) -> b.at().compareTo(a.at()));
        advisories.put("blocked", count);
        advisories.put("lately", lately.stream().limit(RECENT).map(PolicyRules::blocked).toList());
        out.add(advisories);
        return out;
    }

    private java.util.stream.Stream<String> policyRuleTexts() {
        return java.util.stream.Stream.concat(configuredBlocks.stream(), adminBlocks.stream()).map(FileRule::text);
    }

    private Map<String, Object> entry(String kind, String source, String rule) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", kind);
        e.put("source", source);
        e.put("rule", rule);
        AtomicLong count = counts.get(rule);
        Deque<Blocked> lately = recent.get(rule);
        if (!kind.equals("min-age") && !kind.equals("advisories")) {
            e.put("blocked", count == null ? 0 : count.get());
            List<Map<String, Object>> items = new ArrayList<>();
            if (lately != null) {
                synchronized (lately) {
                    lately.forEach(b -> items.add(blocked(b)));
                }
            }
            e.put("lately", items);
        }
        return e;
    }

    private static Map<String, Object> blocked(Blocked b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", b.at().toString());
        m.put("project", b.project());
        m.put("file", b.file());
        return m;
    }
}
