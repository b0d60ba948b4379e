package dev.signet.sig;

import static dev.signet.sig.Fixtures.FILE_NAME;
import static dev.signet.sig.Fixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The same artifact fed whole or in odd-sized pieces through every update path verifies the same way. */
class ArtifactVerificationTest {

    private static final int[] ODD_CHUNKS = {1, 7, 13, 127, 128, 129, 4093, 65_537, 3};

    private final MinisignKeyPair pair = Fixtures.newKeyPair();
    private final byte[] data = Fixtures.artifact(1_000_003);
    private final byte[] signature = Fixtures.signatureFile(pair, data);
    private final byte[] legacySignature = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();
    private final Keyring keyring = Fixtures.keyring(
            List.of(new TrustedKey(pair.publicKey(), true, 2_000_000, List.of())), FileNamePolicy.REQUIRE);

    @Test
    void wholeArrayAndOddByteArrayChunksGiveTheSameResult() throws Exception {
        VerificationResult whole = begin(signature).finishWith(v -> v.update(data, 0, data.length));
        VerificationResult chunked = begin(signature).finishWith(v -> {
            // Copy each chunk into a larger array at a non-zero offset, so offsets are exercised too.
            forEachChunk((offset, length) -> {
                byte[] padded = new byte[length + 5];
                System.arraycopy(data, offset, padded, 3, length);
                v.update(padded, 3, length);
            });
        });

        assertThat(chunked).isEqualTo(whole);
        assertThat(chunked.length()).isEqualTo(data.length);
    }

    @Test
    void heapByteBufferSlicesAreConsumedAndVerify() throws Exception {
        VerificationResult whole = begin(signature).finishWith(v -> v.update(data, 0, data.length));
        VerificationResult viaBuffers = begin(signature).finishWith(v -> forEachChunk((offset, length) -> {
            ByteBuffer slice = ByteBuffer.wrap(data, offset, length).slice();
            v.update(slice);
            assertThat(slice.hasRemaining()).isFalse();
        }));

        assertThat(viaBuffers).isEqualTo(whole);
    }

    @Test
    void directByteBuffersLargerThanTheScratchBufferVerify() throws Exception {
        VerificationResult whole = begin(signature).finishWith(v -> v.update(data, 0, data.length));
        VerificationResult viaDirect = begin(signature).finishWith(v -> {
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 10);
            direct.position(4);
            direct.put(data);
            direct.position(4).limit(4 + data.length);
            v.update(direct);
            assertThat(direct.position()).isEqualTo(direct.limit());
        });

        assertThat(viaDirect).isEqualTo(whole);
    }

    @Test
    void legacySignatureVerifiesThroughMixedChunks() throws Exception {
        Random random = new Random(42);
        VerificationResult result = begin(legacySignature).finishWith(v -> forEachChunk((offset, length) -> {
            if (random.nextBoolean()) {
                v.update(data, offset, length);
            } else {
                ByteBuffer direct = ByteBuffer.allocateDirect(length);
                direct.put(data, offset, length).flip();
                v.update(direct);
            }
        }));

        assertThat(result.algorithm()).isEqualTo(SignatureAlgorithm.LEGACY);
        assertThat(result.length()).isEqualTo(data.length);
    }

    @Test
    void tamperedByteInAChunkedStreamIsABadSignature() throws Exception {
        Session session = begin(signature);
        byte[] tampered = data.clone();
        tampered[data.length - 1] ^= (byte) 0x80;
        forEachChunk((offset, length) -> session.verification.update(ByteBuffer.wrap(tampered, offset, length)));

        assertThatThrownBy(session.verification::finish)
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_SIGNATURE));
    }

    @Test
    void bytesSeenCountsEveryUpdate() throws Exception {
        Session session = begin(signature);
        session.verification.update(data, 0, 10);
        session.verification.update(ByteBuffer.wrap(data, 10, 20));
        session.verification.update(data, 30, 0);

        assertThat(session.verification.bytesSeen()).isEqualTo(30);
        assertThat(session.verification.keyId()).isEqualTo(pair.publicKey().keyId());
        assertThat(session.verification.algorithm()).isEqualTo(SignatureAlgorithm.PREHASHED);
    }

    @Test
    void outOfBoundsSliceIsRejected() throws Exception {
        Session session = begin(signature);

        assertThatThrownBy(() -> session.verification.update(data, data.length - 1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(session.verification.bytesSeen()).isZero();
    }

    private interface ChunkConsumer {
        void accept(int offset, int length);
    }

    private interface Feeder {
        void feed(ArtifactVerification verification);
    }

    private void forEachChunk(ChunkConsumer consumer) {
        int offset = 0;
        for (int i = 0; offset < data.length; i++) {
            int length = Math.min(ODD_CHUNKS[i % ODD_CHUNKS.length], data.length - offset);
            consumer.accept(offset, length);
            offset += length;
        }
    }

    private Session begin(byte[] signatureFile) throws VerificationException {
        return new Session(keyring.begin(PROJECT, FILE_NAME, signatureFile));
    }

    private record Session(ArtifactVerification verification) {
        VerificationResult finishWith(Feeder feeder) throws VerificationException {
            feeder.feed(verification);
            return verification.finish();
        }
    }
}
