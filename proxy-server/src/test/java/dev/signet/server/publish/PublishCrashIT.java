package dev.signet.server.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.server.cli.SignetCommand;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.RealDistributions;
import dev.signet.sig.MinisignPublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish killed at several points (another JVM halted after N files or N switched pages) leaves an index that is
 * consistent and servable as it stands: every page's signature verifies over its page, every listed file exists with
 * a verifying signature. The next run then completes the publish.
 */
class PublishCrashIT {
    private static final int FIRST = 12;
    private static final int SECOND = 12;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed after {1} {0}(s)")
    @CsvSource({"file, 1", "file, 6", "file, 12", "page, 1", "page, 4"})
    void anInterruptedPublishLeavesAConsistentIndexAndTheNextRunCompletesIt(String at, int after) throws Exception {
        List<Path> real = RealDistributions.upTo(FIRST + SECOND, 2L * 1024 * 1024);
        assumeTrue(real.size() == FIRST + SECOND, "not enough real distributions on this machine");
        Minisign minisign = Minisign.generate(dir.resolve("keys"));
        MinisignPublicKey key = MinisignPublicKey.parse(Files.readString(minisign.publicKeyFile()));
        Path out = dir.resolve("index");
        List<Path> first = real.subList(0, FIRST);
        List<Path> second = real.subList(FIRST, FIRST + SECOND);
        String yank = first.get(0).getFileName().toString();

        publish(out, minisign, first);
        Set<String> before = IndexConsistency.check(out, key);

        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                CrashingPublish.class.getName(), out.toString(), minisign.secretKeyFile().toString(), at,
                Integer.toString(after), yank));
        second.forEach(path -> command.add(path.toString()));
        Processes.Result crashed = Processes.run(dir, command, 300);
        assertThat(crashed.exitCode()).as(crashed.output()).isEqualTo(CrashingPublish.HALTED);

        Set<String> afterCrash = IndexConsistency.check(out, key);
        assertThat(afterCrash).containsAll(before);
        if (at.equals("file")) {
            assertThat(afterCrash).isEqualTo(before); // no page had switched yet
        }

        publish(out, minisign, second);
        Set<String> all = new TreeSet<>(before);
        second.forEach(path -> all.add(path.getFileName().toString()));
        assertThat(IndexConsistency.check(out, key)).isEqualTo(all);
        assertThat(IndexConsistency.listsEveryPage(out)).isTrue();
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".part") || name.equals(".signet-publish-journal"));
        }
    }

    private static void publish(Path out, Minisign minisign, List<Path> files) {
        List<String> args = new ArrayList<>(List.of("publish", "--key", minisign.secretKeyFile().toString(),
                "--out", out.toString()));
        files.stream().sorted(Comparator.naturalOrder()).forEach(path -> args.add(path.toString()));
        assertThat(SignetCommand.commandLine().execute(args.toArray(String[]::new))).isZero();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
