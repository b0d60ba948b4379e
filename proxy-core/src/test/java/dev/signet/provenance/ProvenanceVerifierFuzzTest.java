package dev.signet.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;

/**
 * Provenance comes from the upstream, and every byte of it reaches sigstore-java. Whatever the bytes (the seed is the
 * real provenance of the real file named here), verifying under a trusted root that signed none of it (Sigstore's
 * staging root) ends in a {@link ProvenanceException} with a one-line reason: never a pass, never another exception
 * escaping to the origin. The file's real name and sha256 let inputs past the statement checks into the library.
 */
class ProvenanceVerifierFuzzTest {

    private static final String FILE = "pypi_attestations-0.0.19.tar.gz";
    private static final String SHA256 = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3";
    private static ProvenanceVerifier verifier;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream staging = ProvenanceVerifierFuzzTest.class
                .getResourceAsStream("sigstore-staging-trusted-root.json")) {
            verifier = ProvenanceVerifier.trusting(staging);
        }
    }

    @FuzzTest
    void anyProvenanceOfOtherBytesIsRefusedWithAReason(byte[] input) {
        try {
            verifier.verify(Provenance.parse(input), FILE, SHA256);
            fail("verified provenance no trusted Sigstore instance signed");
        } catch (ProvenanceException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }
}
