package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class OsvArchiveTest {

    static final String MALICIOUS = """
            {"id": "MAL-2026-42", "modified": "2026-11-30T00:00:00Z", "summary": "Malicious code in evil-pkg",
             "affected": [{"package": {"ecosystem": "PyPI", "name": "Evil_Pkg"}, "versions": ["1.0", "1.0.1"]}]}""";
    static final String RANGED = """
            {"id": "GHSA-xxxx-yyyy", "database_specific": {"severity": "HIGH"},
             "affected": [{"package": {"ecosystem": "PyPI", "name": "lib"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.2"}, {"fixed": "1.4"},
                                                           {"introduced": "2.0"}, {"last_affected": "2.1"}]}]},
               {"package": {"ecosystem": "npm", "name": "lib"}, "versions": ["9.9"]}]}""";

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void readsPyPiAdvisoriesWithVersionsAndRanges() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("MAL-2026-42.json", MALICIOUS);
        entries.put("GHSA-xxxx-yyyy.json", RANGED);
        List<Advisory> read = OsvArchive.read(new ByteArrayInputStream(zip(entries)));
        assertThat(read).extracting(Advisory::id).containsExactly("MAL-2026-42", "GHSA-xxxx-yyyy");
        Advisory mal = read.get(0);
        assertThat(mal.project()).isEqualTo("evil-pkg");
        assertThat(mal.malicious()).isTrue();
        assertThat(mal.affects("1.0.1")).isTrue();
        assertThat(mal.affects("1.0.0")).isTrue();
        assertThat(mal.affects("1.1")).isFalse();
        Advisory ranged = read.get(1);
        assertThat(ranged.severity()).isEqualTo("high");
        assertThat(List.of("1.1", "1.2", "1.3.9", "1.4", "1.9", "2.0", "2.1", "2.1.1"))
                .map(ranged::affects).containsExactly(false, true, true, false, false, true, true, false);
        Advisories db = new Advisories(read, null, Set.of());
        assertThat(db.blocking("evil-pkg", "1.0")).isNotNull();
        assertThat(db.blocking("lib", "1.3")).isNull();
    }

    @Test
    void refusesAMalformedArchiveNamingTheEntry() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("MAL-2026-42.json", MALICIOUS);
        entries.put("broken.json", "{\"id\": \"X\", \"affected\": [");
        assertThatThrownBy(() -> OsvArchive.read(new ByteArrayInputStream(zip(entries))))
                .isInstanceOf(OsvFormatException.class).hasMessageContaining("broken.json: not valid JSON");
        assertThatThrownBy(() -> OsvArchive.read(new ByteArrayInputStream(zip(Map.of("a.json", "{\"summary\": 1}")))))
                .isInstanceOf(OsvFormatException.class).hasMessageContaining("a.json: not an OSV advisory");
        assertThatThrownBy(() -> OsvArchive.read(new ByteArrayInputStream(zip(Map.of("README.txt", "hi")))))
                .isInstanceOf(OsvFormatException.class).hasMessageContaining("not a .json advisory");
        assertThatThrownBy(() -> OsvArchive.read(new ByteArrayInputStream("not a zip".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(OsvFormatException.class).hasMessageContaining("no advisories");
        assertThatThrownBy(() -> OsvArchive.read(new ByteArrayInputStream(zip(Map.of("x.json",
                "{\"id\": \"X\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"-bad\"}}]}")))))
                .isInstanceOf(OsvFormatException.class).hasMessageContaining("not a PyPI project name");
    }

    @Test
    void aWithdrawnAdvisorySaysNothing() throws Exception {
        String withdrawn = MALICIOUS.replace("\"modified\"", "\"withdrawn\": \"2026-12-01T00:00:00Z\", \"modified\"");
        assertThat(OsvArchive.read(new ByteArrayInputStream(zip(Map.of("MAL-2026-42.json", withdrawn))))).isEmpty();
    }
}
