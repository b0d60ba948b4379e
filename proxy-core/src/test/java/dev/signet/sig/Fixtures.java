package dev.signet.sig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Keys, artifacts and signature files shared by the tests. */
final class Fixtures {

    static final String PROJECT = "demo";
    static final String FILE_NAME = "demo-1.0-py3-none-any.whl";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {}

    static MinisignKeyPair newKeyPair() {
        return MinisignKeyPair.generate(RANDOM);
    }

    static byte[] artifact(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    static MinisignSignature sign(MinisignKeyPair pair, byte[] data, String trustedComment) {
        try {
            return MinisignSigner.sign(pair.secretKey(), new ByteArrayInputStream(data), FILE_NAME, trustedComment,
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] signatureFile(MinisignKeyPair pair, byte[] data) {
        return sign(pair, data, null).encode();
    }

    static Keyring keyring(MinisignKeyPair... pairs) {
        return new Keyring(Arrays.stream(pairs).map(p -> TrustedKey.of(p.publicKey())).toList(), Set.of(),
                FileNamePolicy.REQUIRE);
    }

    static Keyring keyring(List<TrustedKey> keys, FileNamePolicy policy) {
        return new Keyring(keys, Set.of(), policy);
    }

    /** The four lines of a signature file, without their newlines. */
    static String[] lines(byte[] signatureFile) {
        String text = new String(signatureFile, StandardCharsets.UTF_8);
        return text.substring(0, text.length() - 1).split("\n", -1);
    }

    static byte[] join(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
