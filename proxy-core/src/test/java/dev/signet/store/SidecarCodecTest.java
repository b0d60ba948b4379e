package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidecarCodecTest {

    private static final ArtifactKey KEY = new ArtifactKey("idna", "idna-3.7-py3-none-any.whl");
    private static final ArtifactRecord RECORD = new ArtifactRecord("0123456789abcdef".repeat(4), 42, "RWKEY1",
            "untrusted comment: x\nRUQ...\n".getBytes(StandardCharsets.UTF_8), 1_700_000_000_123L);
    private static final FileIdentity IDENTITY = new FileIdentity(42, 1_700_000_000_123_456_789L,
            1_700_000_001_000_000_001L, 987654321L);

    private static String valid() {
        return new String(SidecarCodec.encode(KEY, RECORD, IDENTITY), StandardCharsets.UTF_8);
    }

    @Test
    void roundTrips() throws Exception {
        Sidecar decoded = SidecarCodec.decode(KEY, SidecarCodec.encode(KEY, RECORD, IDENTITY));
        assertThat(decoded).isEqualTo(new Sidecar(RECORD, IDENTITY));
    }

    @Test
    void writesAVersionedSelfDescribingDocument() {
        assertThat(valid())
                .startsWith("{\"format\":\"signet-artifact\",\"version\":1,\"project\":\"idna\"")
                .contains("\"identity\":{\"size\":42,\"mtimeNanos\":1700000000123456789,");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated            | '\"identity\":{'                        | '\"identity\":'                  | is not valid JSON",
        "unknown field        | '\"version\":1,'                        | '\"version\":1,\"extra\":1,'       | has unknown field extra",
        "duplicate field      | '\"version\":1,'                        | '\"version\":1,\"version\":1,'     | is not valid JSON: Duplicate field 'version'",
        "future version       | '\"version\":1,'                        | '\"version\":2,'                   | has version 2, this build reads version 1",
        "foreign format       | signet-artifact                         | other                              | has format \"other\"",
        "other file's sidecar | idna-3.7-py3-none-any.whl               | idna-3.6-py3-none-any.whl          | belongs to idna/idna-3.6-py3-none-any.whl",
        "string as number     | '\"length\":42'                         | '\"length\":\"42\"'                | has a length that is not a 64-bit integer",
        "fractional number    | '\"length\":42'                         | '\"length\":42.5'                  | has a length that is not a 64-bit integer",
        "huge number          | '\"inode\":987654321'                   | '\"inode\":98765432100000000000000' | has a inode that is not a 64-bit integer",
        "bad base64           | '\"signatureFile\":\"'                  | '\"signatureFile\":\"*'            | has a signatureFile that is not base64",
        "invalid hash         | 0123456789abcdef0123                    | 0123456789ABCDEF0123               | holds an invalid record: sha256Hex must be",
        "length mismatch      | '\"size\":42'                           | '\"size\":43'                      | records length 42 but identity size 43",
        "missing identity fld | '\"ctimeNanos\":1700000001000000001,'   | ''                                 | lacks field identity.ctimeNanos",
    })
    void refusesDamagedOrForeignSidecars(String name, String from, String to, String message) {
        String damaged = valid().replace(from, to);
        assertThat(damaged).isNotEqualTo(valid());
        assertThatThrownBy(() -> SidecarCodec.decode(KEY, damaged.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptSidecarException.class)
                .hasMessageStartingWith("sidecar of " + KEY + " ")
                .hasMessageContaining(message);
    }

    @Test
    void refusesTrailingDataAndNonObjects() {
        assertThatThrownBy(() -> SidecarCodec.decode(KEY, (valid() + "{}").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> SidecarCodec.decode(KEY, "[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("sidecar of " + KEY + " is not a JSON object");
        assertThatThrownBy(() -> SidecarCodec.decode(KEY, new byte[0]))
                .isInstanceOf(CorruptSidecarException.class);
    }

    @Test
    void refusesOversizedFilesWithoutParsingThem() {
        byte[] big = new byte[SidecarCodec.MAX_SIDECAR_BYTES + 1];
        assertThatThrownBy(() -> SidecarCodec.decode(KEY, big))
                .hasMessage("sidecar of " + KEY + " is " + big.length + " bytes, more than " + SidecarCodec.MAX_SIDECAR_BYTES);
    }
}
