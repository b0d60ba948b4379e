package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArtifactRecordTest {

    private static final String SHA = "a".repeat(64);

    @Test
    void comparesSignatureBytesByContentAndCopiesThem() {
        byte[] sig = {1, 2, 3};
        ArtifactRecord r = new ArtifactRecord(SHA, 10, "KEY", sig, 5);
        sig[0] = 9;
        assertThat(r.signatureFile()).containsExactly(1, 2, 3);
        r.signatureFile()[1] = 9;
        assertThat(r.signatureFile()).containsExactly(1, 2, 3);
        assertThat(r).isEqualTo(new ArtifactRecord(SHA, 10, "KEY", new byte[] {1, 2, 3}, 5))
                .hasSameHashCodeAs(new ArtifactRecord(SHA, 10, "KEY", new byte[] {1, 2, 3}, 5))
                .isNotEqualTo(new ArtifactRecord(SHA, 10, "KEY", new byte[] {1, 2, 4}, 5));
    }

    @Test
    void refusesMalformedFields() {
        assertThatThrownBy(() -> new ArtifactRecord("A".repeat(64), 1, "K", new byte[0], 0))
                .hasMessageStartingWith("sha256Hex must be 64 lowercase hex digits");
        assertThatThrownBy(() -> new ArtifactRecord("a".repeat(63), 1, "K", new byte[0], 0))
                .hasMessageStartingWith("sha256Hex must be 64 lowercase hex digits");
        assertThatThrownBy(() -> new ArtifactRecord(SHA, -1, "K", new byte[0], 0))
                .hasMessage("length must not be negative: -1");
        assertThatThrownBy(() -> new ArtifactRecord(SHA, 1, "has space", new byte[0], 0))
                .hasMessageStartingWith("keyId must be");
        assertThatThrownBy(() -> new ArtifactRecord(SHA, 1, "", new byte[0], 0))
                .hasMessageStartingWith("keyId must be");
        assertThatThrownBy(() -> new ArtifactRecord(SHA, 1, "K",
                new byte[ArtifactRecord.MAX_SIGNATURE_FILE_BYTES + 1], 0))
                .hasMessageContaining("more than 65536");
        assertThatThrownBy(() -> new ArtifactRecord(SHA, 1, "K", new byte[0], -5))
                .hasMessage("verifiedAtMillis must not be negative: -5");
    }
}
