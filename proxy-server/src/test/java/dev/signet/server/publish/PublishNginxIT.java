package dev.signet.server.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.cli.SignetCommand;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Nginx;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.RealDistributions;
import dev.signet.sig.MinisignPublicKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet publish} over a few hundred real wheels and sdists from this machine's package folders, served by a
 * real nginx: real pip installs from it directly, and the reference minisign verifies every page signature (printing
 * the trusted comment of docs/signed-index.md) and every file and metadata signature.
 */
class PublishNginxIT {
    private static final int FILES = 300;
    private static final Pattern PAGE_COMMENT = Pattern.compile(
            "Trusted comment: signet-page:1\tproject:([a-z0-9-]+)\tserial:[1-9][0-9]*\texpires:[1-9][0-9]*"
                    + "\ttimestamp:[1-9][0-9]*\tfile:index\\.json");

    @TempDir
    static Path dir;
    static Minisign minisign;
    static Path out;
    static List<Path> inputs;

    @BeforeAll
    static void publish() throws Exception {
        assumeTrue(Nginx.installed(), "nginx is not installed (.ci/run installs nginx-light)");
        inputs = RealDistributions.upTo(FILES, 2L * 1024 * 1024);
        assumeTrue(inputs.size() >= 50, "fewer than 50 real distributions on this machine");
        minisign = Minisign.generate(dir.resolve("keys"));
        out = dir.resolve("index");
        List<String> args = new ArrayList<>(List.of("publish", "--key", minisign.secretKeyFile().toString(),
                "--out", out.toString()));
        inputs.forEach(path -> args.add(path.toString()));
        assertThat(SignetCommand.commandLine().execute(args.toArray(String[]::new))).isZero();
    }

    @Test
    void everyInputIsListedOnAPageThatVerifiesAndNamesItsProject() throws Exception {
        MinisignPublicKey key = MinisignPublicKey.parse(Files.readString(minisign.publicKeyFile()));
        Set<String> listed = IndexConsistency.check(out, key);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                inputs.stream().map(path -> path.getFileName().toString()).toList());
        assertThat(IndexConsistency.listsEveryPage(out)).isTrue();
    }

    @Test
    void realPipInstallsFromNginxServingThePublishedIndex() throws Exception {
        List<String> projects = pureProjects(2);
        try (Nginx nginx = Nginx.serve(out, dir.resolve("nginx-pip"))) {
            Path target = dir.resolve("target");
            List<String> args = new ArrayList<>(List.of("--no-deps"));
            Processes.Result pip = Pip.install(dir, nginx.url() + "/simple/", target, args,
                    projects.toArray(String[]::new));
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            assertThat(pip.output()).contains("Successfully installed");
            try (Stream<Path> installed = Files.list(target)) {
                assertThat(installed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dist-info")))
                        .hasSize(projects.size());
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(
                    URI.create(nginx.url() + "/simple/" + projects.get(0) + "/index.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(Files.readString(nginx.accessLog())).contains("GET /simple/" + projects.get(0) + "/ ");
        }
    }

    /**
     * The whole chain of docs/signed-index.md: nginx serves what {@code signet publish} wrote, Signet in front of it
     * with {@code signed-pages: require} (one key trusted for files and pages), and real pip installs through Signet.
     */
    @Test
    void realPipInstallsThroughSignetRequiringSignedPagesFromNginxServingThePublishedIndex() throws Exception {
        List<String> projects = pureProjects(2);
        try (Nginx nginx = Nginx.serve(out, dir.resolve("nginx-signet"))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("listen", "127.0.0.1:0");
            settings.put("admin-listen", "127.0.0.1:0");
            settings.put("upstream", nginx.url() + "/simple/");
            settings.put("trusted-keys", List.of("@" + minisign.publicKeyFile()));
            settings.put("page-keys", List.of("@" + minisign.publicKeyFile()));
            settings.put("signed-pages", "require");
            settings.put("cache-dir", dir.resolve("signet-cache").toString());
            try (SignetServer signet = SignetServer.start(ConfigLoader.load(null, Map.of(), settings),
                    SignetListener.NONE, InstantSource.system())) {
                Path target = dir.resolve("through-signet");
                Processes.Result pip = Pip.install(dir, "http://127.0.0.1:" + signet.address().getPort() + "/simple/",
                        target, List.of("--no-deps"), projects.toArray(String[]::new));
                assertThat(pip.exitCode()).as(pip.output()).isZero();
                try (Stream<Path> installed = Files.list(target)) {
                    assertThat(installed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dist-info")))
                            .hasSize(projects.size());
                }
                for (String project : projects) {
                    assertThat(dir.resolve("signet-cache/page-state/primary/" + project))
                            .as("the serial of each verified page is recorded").exists();
                }
            }
        }
    }

    @Test
    void theReferenceMinisignVerifiesEveryPageSignatureAndPrintsTheTrustedComment() throws Exception {
        List<Path> pages;
        try (Stream<Path> dirs = Files.list(out.resolve("simple"))) {
            pages = dirs.filter(Files::isDirectory).map(d -> d.resolve("index.json")).sorted().toList();
        }
        assertThat(pages).hasSizeGreaterThan(20);
        for (Path page : pages) {
            // What the spec promises an operator: minisign -Vm index.json -x index.json.minisig -p key.pub
            Processes.Result result = Processes.run(page.getParent(), List.of("minisign", "-Vm", "index.json",
                    "-x", "index.json.minisig", "-p", minisign.publicKeyFile().toString()), 30);
            assertThat(result.exitCode()).as(result.output()).isZero();
            var comment = PAGE_COMMENT.matcher(result.output());
            assertThat(comment.find()).as(result.output()).isTrue();
            assertThat(comment.group(1)).isEqualTo(page.getParent().getFileName().toString());
        }
    }

    @Test
    void theReferenceMinisignVerifiesEveryFileAndMetadataSignature() throws Exception {
        List<Path> signatures;
        try (Stream<Path> files = Files.list(out.resolve("packages"))) {
            signatures = files.filter(p -> p.getFileName().toString().endsWith(".minisig")).sorted().toList();
        }
        assertThat(signatures.stream().filter(p -> p.toString().endsWith(".metadata.minisig"))).isNotEmpty();
        assertThat(signatures).hasSizeGreaterThanOrEqualTo(inputs.size());
        for (Path signature : signatures) {
            String name = signature.getFileName().toString();
            Path file = signature.resolveSibling(name.substring(0, name.length() - ".minisig".length()));
            Processes.Result result = minisign.verify(file, signature);
            assertThat(result.exitCode()).as(name + ": " + result.output()).isZero();
            assertThat(result.output()).contains("file:" + file.getFileName() + "\thashed");
        }
    }

    /** Projects whose files are all pure-Python wheels, so pip on this machine can install any of them. */
    private static List<String> pureProjects(int count) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<String> projects = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(out.resolve("simple"))) {
            for (Path page : dirs.filter(Files::isDirectory).map(d -> d.resolve("index.json")).sorted().toList()) {
                JsonNode files = mapper.readTree(page.toFile()).get("files");
                boolean pure = true;
                for (JsonNode file : files) {
                    String name = file.get("filename").asText();
                    String requiresPython = file.path("requires-python").asText("");
                    pure &= name.endsWith("-none-any.whl") && !requiresPython.contains("<");
                }
                if (pure) {
                    projects.add(page.getParent().getFileName().toString());
                }
                if (projects.size() == count) {
                    return projects;
                }
            }
        }
        throw new AssertionError("fewer than " + count + " pure-Python projects among the published ones");
    }
}
