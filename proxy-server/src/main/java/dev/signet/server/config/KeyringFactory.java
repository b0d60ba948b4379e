package dev.signet.server.config;

import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.KeyId;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignPublicKey;
import dev.signet.sig.SignatureFormatException;
import dev.signet.sig.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns configured keys ({@code RW...} strings or {@code @path} to a {@code .pub} file) into a {@link Keyring}. */
public final class KeyringFactory {

    private KeyringFactory() {
    }

    public static Keyring build(List<TrustedKeyConfig> configured, List<String> revokedIds, boolean requireFileName)
            throws ConfigException {
        return build("trusted-keys", configured, revokedIds, requireFileName);
    }

    /** As {@link #build(List, List, boolean)}, naming {@code setting} (e.g. {@code page-keys}) in the errors. */
    public static Keyring build(String setting, List<TrustedKeyConfig> configured, List<String> revokedIds,
                                boolean requireFileName) throws ConfigException {
        List<String> errors = new ArrayList<>();
        List<TrustedKey> keys = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            TrustedKeyConfig c = configured.get(i);
            try {
                MinisignPublicKey key = readKey(c.key());
                keys.add(new TrustedKey(key, c.allowLegacy(), c.legacyMaxSize(), c.projects()));
            } catch (java.nio.file.NoSuchFileException e) {
                errors.add(setting + "[" + i + "]: no such key file: " + e.getFile());
            } catch (IOException e) {
                errors.add(setting + "[" + i + "]: cannot read key file: " + e);
            } catch (SignatureFormatException | IllegalArgumentException e) {
                errors.add(setting + "[" + i + "]: " + e.getMessage());
            }
        }
        Set<KeyId> revoked = new LinkedHashSet<>();
        for (String id : revokedIds) {
            try {
                revoked.add(KeyId.parseHex(id));
            } catch (IllegalArgumentException e) {
                errors.add("revoked-keys: '" + id + "' is not a 16-digit hex key id");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Keyring(keys, revoked, requireFileName ? FileNamePolicy.REQUIRE : FileNamePolicy.ALLOW_MISSING);
    }

    /** A key given inline ({@code RW...}) or as {@code @path} to a minisign {@code .pub} file. */
    /** A minisign .pub file is about 120 bytes; the key parser refuses text over 4096 characters anyway. */
    static final int MAX_KEY_FILE_BYTES = 16 * 1024;

    public static MinisignPublicKey readKey(String spec) throws IOException, SignatureFormatException {
        if (spec.startsWith("@")) {
            Path path = Path.of(spec.substring(1));
            // Read a bounded prefix, not the whole file: "@/dev/zero" or a huge file must be an error, not an OOM.
            byte[] prefix;
            try (java.io.InputStream in = Files.newInputStream(path)) {
                prefix = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            }
            if (prefix.length > MAX_KEY_FILE_BYTES) {
                throw new SignatureFormatException("key file " + path + " is larger than " + MAX_KEY_FILE_BYTES
                        + " bytes; a minisign public key file is two short lines");
            }
            return MinisignPublicKey.parse(new String(prefix, StandardCharsets.UTF_8));
        }
        return MinisignPublicKey.parse(spec);
    }
}
