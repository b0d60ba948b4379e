package dev.signet.server.cli;

import dev.signet.publish.DistributionName;
import dev.signet.publish.IndexPublisher;
import dev.signet.publish.KeySigner;
import dev.signet.publish.PublishException;
import dev.signet.publish.PublishOptions;
import dev.signet.publish.PublishRequest;
import dev.signet.publish.PublishResult;
import dev.signet.server.config.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code signet publish}: a signed static index (docs/signed-index.md) from a folder of distributions. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Write a signed static index (PEP 503 HTML, PEP 691 JSON, PEP 658 metadata, a .minisig for",
                "every file and a signed, expiring JSON page per project) that any static web server can serve.",
                "Re-running adds new files; published files and their signatures are never rewritten.",
                "Exit codes: 0 published, 1 refused (every problem listed; nothing was changed), 2 usage error."},
        sortOptions = false)
final class PublishCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PublishCommand.class);

    @Option(names = {"-s", "--key"}, paramLabel = "FILE", required = true, description = "Secret key that signs files and pages.")
    Path secretKey;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Password of an encrypted secret key (first line of FILE).")
    Path passwordFile;

    @Option(names = "--out", paramLabel = "DIR", description = "The index to create or add to.")
    Path out;

    @Option(names = "--refresh", paramLabel = "DIR", description = "Only re-sign the pages of index DIR that expire within --refresh-before (for a daily cron job).")
    Path refresh;

    @Option(names = "--refresh-before", paramLabel = "DURATION", defaultValue = "2d", description = "With --refresh: re-sign pages expiring within this (default ${DEFAULT-VALUE}).")
    String refreshBefore;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "7d", description = "Lifetime of a page signature (default ${DEFAULT-VALUE}).")
    String expires;

    @Option(names = "--yank", paramLabel = "FILE", description = "Mark a published file yanked (PEP 592); repeatable.")
    List<String> yank = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Yank reason shown by installers.")
    String reason;

    @Option(names = "--threads", paramLabel = "N", description = "Files hashed and signed at once (default: twice the cores, at least 4).")
    Integer threads;

    @Option(names = "--link", description = {"Hard-link each input into the index instead of copying it (where both are on one",
            "filesystem; else it is copied): nothing is written, but the input and the published file are then one",
            "file, so never change an input in place afterwards (delete it or write a new file instead)."})
    boolean link;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Wheels and sdists, or directories searched for *.whl, *.tar.gz and *.zip.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> usage = usageProblems();
        if (!usage.isEmpty()) {
            return Errors.report("invalid publish options", usage);
        }
        Duration expiry = Units.parseDuration(expires);
        Optional<Duration> refreshWindow = refresh != null ? Optional.of(Units.parseDuration(refreshBefore)) : Optional.empty();
        Path root = refresh != null ? refresh : out;
        KeySigner signer;
        try {
            signer = new KeySigner(SecretKeys.load(secretKey, passwordFile), "signature from signet publish");
        } catch (SecretKeys.KeyException e) {
            return Errors.fail(e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                files.addAll(distributionsIn(path, root));
            } else {
                files.add(path);
            }
        }
        Map<String, String> yanks = new LinkedHashMap<>();
        yank.forEach(file -> yanks.put(file, reason));
        PublishOptions options = PublishOptions.withKey(signer).withExpires(expiry)
                .withProgress(PublishProgressBar.forConsole());
        if (threads != null) {
            options = options.withThreads(threads);
        }
        options = options.withLinkInputs(link);
        long start = System.nanoTime();
        if (log.isDebugEnabled()) {
            // JVM start-up, class loading and the key: the part of a run that does not grow with the files.
            ProcessHandle.current().info().startInstant().ifPresent(started -> log.debug(
                    "publish starts {} ms after the process did", Duration.between(started, java.time.Instant.now()).toMillis()));
        }
        PublishResult result;
        try {
            result = new IndexPublisher(root, options).publish(new PublishRequest(files, yanks, refreshWindow));
        } catch (PublishException e) {
            System.err.println("signet: nothing published; " + e.problems().size() + " problem(s):");
            e.problems().forEach(problem -> System.err.println("  - " + problem));
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("published %d new file(s) (%s) in %.2f s (%.1f files/s); %d unchanged, %d yanked,"
                        + " %d page(s) signed (%d refreshed), index %s%n",
                result.added().size(), Units.formatSize(result.bytesAdded()), seconds,
                result.added().size() / Math.max(seconds, 1e-3), result.unchanged(), result.yanked(),
                result.serials().size(), result.refreshed(), root);
        return 0;
    }

    private List<String> usageProblems() {
        List<String> problems = new ArrayList<>();
        if ((out == null) == (refresh == null)) {
            problems.add("give exactly one of --out DIR (publish) and --refresh DIR (re-sign expiring pages)");
        }
        if (refresh != null && (!paths.isEmpty() || !yank.isEmpty())) {
            problems.add("--refresh re-signs pages only; publish files and yanks with --out");
        }
        if (out != null && paths.isEmpty() && yank.isEmpty()) {
            problems.add("nothing to publish: give PATHs or --yank FILE");
        }
        if (!reason.isEmpty() && yank.isEmpty()) {
            problems.add("--reason needs --yank");
        }
        if (threads != null && threads < 1) {
            problems.add("--threads must be at least 1");
        }
        duration("--expires", expires, problems);
        duration("--refresh-before", refreshBefore, problems);
        for (Path path : paths) {
            if (!Files.exists(path)) {
                problems.add(path + ": no such file or directory");
            }
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            problems.add("--out " + out + ": exists and is not a folder");
        }
        if (refresh != null && !Files.isDirectory(refresh)) {
            // Re-signing nothing and saying "0 pages signed" would hide a mistyped path in a cron job.
            problems.add("--refresh " + refresh + ": " + (Files.exists(refresh) ? "not a folder" : "no such folder")
                    + " (give an index written by signet publish --out)");
        }
        return problems;
    }

    private static void duration(String option, String value, List<String> problems) {
        try {
            if (Units.parseDuration(value).toSeconds() < 1) {
                problems.add(option + " must be at least 1s: " + value);
            }
        } catch (IllegalArgumentException e) {
            problems.add(option + ": " + e.getMessage());
        }
    }

    /** Distribution files below {@code dir}, in a stable order, never from inside the index being written. */
    private static List<Path> distributionsIn(Path dir, Path index) throws IOException {
        Path indexRoot = index.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !file.toAbsolutePath().normalize().startsWith(indexRoot))
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> DistributionName.looksLikeDistribution(file.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }
}
