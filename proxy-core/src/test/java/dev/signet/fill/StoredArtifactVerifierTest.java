package dev.signet.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSigner;
import dev.signet.sig.TrustedKey;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import dev.signet.store.ArtifactStore;
import dev.signet.store.PendingFill;
import dev.signet.store.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-verification of a cached file, in place and into a private copy (paranoid mode). */
class StoredArtifactVerifierTest {

    private static final ArtifactKey KEY = new ArtifactKey("demo", "demo-1.0-py3-none-any.whl");
    private static final MinisignKeyPair PAIR = MinisignKeyPair.generate(new SecureRandom());
    private static final Keyring KEYRING = new Keyring(List.of(TrustedKey.of(PAIR.publicKey())), Set.of(),
            FileNamePolicy.REQUIRE);

    @TempDir
    Path dir;

    @Test
    void theCopyHoldsExactlyTheVerifiedBytesAcrossManyBuffers() throws Exception {
        byte[] data = bytes(1_000_003);
        try (ArtifactStore store = ArtifactStore.open(dir)) {
            StoredArtifact entry = committed(store, data);
            try (FileChannel source = FileChannel.open(entry.path(), StandardOpenOption.READ);
                 FileChannel copy = store.privateFile()) {
                new StoredArtifactVerifier(KEYRING).verifyInto(entry, source, copy);
                assertThat(copy.size()).isEqualTo(data.length);
                ByteBuffer back = ByteBuffer.allocate(data.length);
                while (back.hasRemaining()) {
                    copy.read(back, back.position());
                }
                assertThat(back.array()).isEqualTo(data);
            }
        }
    }

    @Test
    void aChangedCachedFileIsRefusedInPlaceAndWhileCopying() throws Exception {
        byte[] data = bytes(300_000);
        try (ArtifactStore store = ArtifactStore.open(dir)) {
            StoredArtifact entry = committed(store, data);
            try (RandomAccessFile raf = new RandomAccessFile(entry.path().toFile(), "rw")) {
                raf.seek(200_000);
                raf.write(data[200_000] ^ 1);
            }
            try (FileChannel source = FileChannel.open(entry.path(), StandardOpenOption.READ);
                 FileChannel copy = store.privateFile()) {
                assertThatThrownBy(() -> new StoredArtifactVerifier(KEYRING).verify(entry, source))
                        .isInstanceOfSatisfying(VerificationException.class,
                                e -> assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_SIGNATURE));
                assertThatThrownBy(() -> new StoredArtifactVerifier(KEYRING).verifyInto(entry, source, copy))
                        .isInstanceOfSatisfying(VerificationException.class,
                                e -> assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_SIGNATURE));
            }
        }
    }

    private static StoredArtifact committed(ArtifactStore store, byte[] data) throws Exception {
        byte[] signature = MinisignSigner.sign(PAIR.secretKey(), new ByteArrayInputStream(data), KEY.filename(), null,
                null).encode();
        try (PendingFill fill = store.beginFill(KEY)) {
            fill.write(ByteBuffer.wrap(data));
            return fill.commit(new ArtifactRecord(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                    data.length, PAIR.publicKey().keyId().toString(), signature, 1));
        }
    }

    private static byte[] bytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }
}
