package dev.signet.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.policy.Advisory;
import dev.signet.policy.FileRule;
import dev.signet.policy.OsvArchive;
import dev.signet.policy.OsvFormatException;
import dev.signet.store.DurableFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the policy keeps across restarts, in {@code <cache-dir>/policy-state/}: the exemptions and blocks added through
 * the admin API ({@code admin-rules.json}) and the imported OSV export as it was imported ({@code osv.zip}). Each is
 * replaced whole and crash-safely ({@link DurableFiles}: temp file, fsync, rename, directory fsync), and only after it
 * was validated: a malformed OSV file is refused and the previous database stays in force and on disk.
 */
public final class PolicyState {

    private static final Logger log = LoggerFactory.getLogger(PolicyState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DIR = "policy-state";
    static final String RULES = "admin-rules.json";
    static final String OSV = "osv.zip";

    private final Path dir;
    private final PolicyRules rules;

    private PolicyState(Path dir, PolicyRules rules) {
        this.dir = dir;
        this.rules = rules;
    }

    /** Reads what was persisted into {@code rules}; a damaged file fails with its path and what is wrong. */
    public static PolicyState open(Path cacheDir, PolicyRules rules) throws IOException {
        Path dir = DurableFiles.ownerOnlyDirectory(cacheDir.resolve(DIR));
        PolicyState state = new PolicyState(dir, rules);
        state.loadRules();
        state.reloadAdvisories();
        return state;
    }

    private void loadRules() throws IOException {
        Path file = dir.resolve(RULES);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            rules.replaceAdminRules(rules(root, "exemptions"), rules(root, "blocks"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "); fix or remove it", e);
        }
    }

    private static List<FileRule> rules(JsonNode root, String field) {
        List<FileRule> out = new ArrayList<>();
        for (JsonNode rule : root.path(field)) {
            out.add(FileRule.parse(rule.asText()));
        }
        return out;
    }

    /** Reads {@code osv.zip} again (after {@code signet osv import} wrote it); returns how many advisories. */
    public synchronized int reloadAdvisories() throws IOException {
        Path file = dir.resolve(OSV);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            List<Advisory> advisories = OsvArchive.read(new ByteArrayInputStream(Files.readAllBytes(file)));
            rules.replaceAdvisories(advisories);
            log.info("policy: {} advisories in force from {}", advisories.size(), file);
            return advisories.size();
        } catch (OsvFormatException e) {
            throw new IOException(file + " is not a valid OSV export (" + e.getMessage() + ")", e);
        }
    }

    /** Validates {@code zip} and, only if it is a valid export, makes it the database in force and on disk. */
    public synchronized int importAdvisories(byte[] zip) throws IOException, OsvFormatException {
        List<Advisory> advisories = install(dir, zip);
        rules.replaceAdvisories(advisories);
        return advisories.size();
    }

    /**
     * For {@code signet osv import}: validates {@code zip} and writes it as the database of the cache at
     * {@code cacheDir}; nothing is written when it is refused.
     */
    public static List<Advisory> install(Path dir, byte[] zip) throws IOException, OsvFormatException {
        List<Advisory> advisories = OsvArchive.read(new ByteArrayInputStream(zip));
        DurableFiles.ownerOnlyDirectory(dir);
        DurableFiles.replace(dir.resolve(OSV), zip);
        DurableFiles.syncDirectory(dir);
        return advisories;
    }

    public static Path directory(Path cacheDir) {
        return cacheDir.resolve(DIR);
    }

    public synchronized void changeExemptions(UnaryOperator<List<FileRule>> change) throws IOException {
        List<FileRule> exemptions = change.apply(new ArrayList<>(rules.adminExemptions()));
        persist(exemptions, rules.adminBlocks());
    }

    public synchronized void changeBlocks(UnaryOperator<List<FileRule>> change) throws IOException {
        List<FileRule> blocks = change.apply(new ArrayList<>(rules.adminBlocks()));
        persist(rules.adminExemptions(), blocks);
    }

    /** Written first, applied after: a rule in force is always one that survives a restart. */
    private void persist(List<FileRule> exemptions, List<FileRule> blocks) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("exemptions", exemptions.stream().map(FileRule::text).toList());
        root.put("blocks", blocks.stream().map(FileRule::text).toList());
        DurableFiles.replace(dir.resolve(RULES), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        DurableFiles.syncDirectory(dir);
        rules.replaceAdminRules(exemptions, blocks);
    }
}
