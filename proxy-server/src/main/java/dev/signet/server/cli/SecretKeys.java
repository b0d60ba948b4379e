package dev.signet.server.cli;

import dev.signet.server.lifecycle.OsReason;
import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.SignatureFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads a minisign secret key for the commands that sign ({@code sign}, {@code publish}). */
final class SecretKeys {

    /** Why the key could not be used, as one line naming the file. */
    static final class KeyException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyException(String message) {
            super(message);
        }
    }

    private SecretKeys() {
    }

    static MinisignSecretKey load(Path secretKey, Path passwordFile) throws KeyException {
        String keyText;
        char[] password;
        try {
            keyText = Files.readString(secretKey, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeyException("cannot read secret key " + secretKey + ": no such file");
        } catch (IOException e) {
            throw new KeyException("cannot read secret key " + secretKey + ": " + OsReason.of(e, secretKey));
        }
        try {
            password = passwordFile == null ? null : Passwords.read(passwordFile);
        } catch (IOException e) {
            throw new KeyException("cannot read password file " + passwordFile + ": " + OsReason.of(e, passwordFile));
        }
        try {
            if (password == null && MinisignSecretKey.isEncrypted(keyText)) {
                throw new KeyException(secretKey + " is encrypted; pass --password-file");
            }
            return MinisignSecretKey.parse(keyText, password);
        } catch (SignatureFormatException | IllegalArgumentException e) {
            // IllegalArgumentException: scrypt needs more heap than this JVM has, which -Xmx fixes.
            throw new KeyException("cannot read secret key " + secretKey + ": " + e.getMessage());
        }
    }
}
