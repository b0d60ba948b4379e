package dev.signet.server.shared;

import dev.signet.fill.VerifyingFill;
import dev.signet.server.artifact.SharedTier;
import dev.signet.sig.VerificationException;
import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import dev.signet.sig.VerificationFailure;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The read path of the shared store, top to bottom: GET the object; its signature (from the object's metadata, or its sidecar object) goes
 * to the fill's own verify path, which refuses an unknown key or a malformed signature before a byte of the body is
 * read; the body streams in blocks into that {@link VerifyingFill}, through the pipeline an upstream body takes
 * ({@code FillPipeline}); {@link VerifyingFill#complete} checks
 * the length against the object's Content-Length and the page, the sha256 against the page, the signature and its
 * {@code file:} name, and only then commits. Blocking: runs on the store's threads.
 */
final class StoreReader {

    /** What one read came to. */
    sealed interface Result {
        record Hit(StoredArtifact entry) implements Result {}
        record Miss() implements Result {}
        record Refused(VerificationException reason) implements Result {}
        record Fault(StoreFault fault) implements Result {}
        /** The local temp file could not be written: not the store's fault; the upstream fill will meet it too. */
        record LocalFailure(IOException error) implements Result {}
    }

    /**
     * A quarter of the pipeline's block (FillPipeline gathers four into one hand-off): an array below half a G1 region
     * is an ordinary young allocation, where a 1 MiB one would be a humongous object in a 64 MiB heap.
     */
    private static final int BLOCK_BYTES = 256 << 10;

    /**
     * Read of a sidecar signature: past the parser's 16 KiB limit it is refused whatever it holds, and a sidecar that
     * large is not read further into memory.
     */
    private static final int MAX_SIDECAR_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final ObjectKeys keys;
    private final Duration timeout;

    StoreReader(S3Client s3, String bucket, ObjectKeys keys, Duration timeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.timeout = timeout;
    }

    Result read(ArtifactKey key, SharedTier.FillStart start) {
        ResponseInputStream<GetObjectResponse> object;
        try {
            // No call timeout here: it would cut a large body that is still flowing. A store that stalls, before the
            // head or in the body, is caught by the HTTP client's socket timeout (shared-store.timeout).
            object = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(keys.of(key)).build());
        } catch (NoSuchKeyException e) {
            return new Result.Miss();
        } catch (S3Exception e) {
            return e.statusCode() == 404 ? new Result.Miss()
                    : new Result.Fault(new StoreFault("GET answered " + e.statusCode() + " " + e.awsErrorDetails().errorCode(), e));
        } catch (SdkException e) {
            return new Result.Fault(new StoreFault("GET failed: " + e.getMessage(), e));
        }
        boolean complete = false;
        try {
            GetObjectResponse head = object.response();
            byte[] signature = SignatureMetadata.inSidecar(head.metadata()) ? sidecar(key)
                    : SignatureMetadata.signature(head.metadata(), key.filename());
            try (SharedTier.Intake fill = start.begin(signature)) {
                copy(object, fill);
                complete = true;
                long declared = head.contentLength() == null ? -1 : head.contentLength();
                return new Result.Hit(fill.complete(declared));
            }
        } catch (VerificationException e) {
            return new Result.Refused(e);
        } catch (StoreFault e) {
            return new Result.Fault(e);
        } catch (IOException e) {
            return new Result.LocalFailure(e);
        } finally {
            if (!complete) {
                // Do not drain the rest of a refused or failed body just to reuse the connection.
                object.abort();
            }
            try {
                object.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing after abort or after the last byte: nothing is lost.
            }
        }
    }

    /**
     * The signature from the object's sidecar, read while the object's body waits (a second connection). A missing
     * sidecar is a missing signature: the object is refused, deleted and refilled like any other without one.
     */
    private byte[] sidecar(ArtifactKey key) throws VerificationException, StoreFault {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(keys.signatureOf(key))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout)))) {
            byte[] signature = in.readNBytes(MAX_SIDECAR_BYTES + 1);
            if (signature.length > MAX_SIDECAR_BYTES) {
                in.abort();
                throw new VerificationException(VerificationFailure.MALFORMED_SIGNATURE, key.filename(),
                        "the shared store's signature object is larger than 16 KiB");
            }
            return signature;
        } catch (NoSuchKeyException e) {
            throw missingSidecar(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missingSidecar(key);
            }
            throw new StoreFault("GET of the signature answered " + e.statusCode(), e);
        } catch (IOException | SdkException e) {
            throw new StoreFault("GET of the signature failed: " + e, e);
        }
    }

    private static VerificationException missingSidecar(ArtifactKey key) {
        return new VerificationException(VerificationFailure.MISSING_SIGNATURE, key.filename(),
                "the shared store's object names a signature object that does not exist");
    }

    /**
     * The body in blocks handed to the fill's pipeline, which holds a few at once (its window) and blocks this thread
     * past that: memory stays bounded whatever the size. A read of the store's stream failing is the store's fault; a
     * write failing is ours.
     */
    private static void copy(InputStream in, SharedTier.Intake fill) throws StoreFault, IOException, VerificationException {
        // One array for the whole body: the intake copies each block before accept returns.
        byte[] block = new byte[BLOCK_BYTES];
        while (true) {
            int filled = 0;
            int n = 0;
            while (filled < block.length && (n = readStore(in, block, filled)) >= 0) {
                filled += n;
            }
            if (filled > 0) {
                fill.accept(ByteBuffer.wrap(block, 0, filled));
            }
            if (n < 0) {
                return;
            }
        }
    }

    private static int readStore(InputStream in, byte[] buffer, int offset) throws StoreFault {
        try {
            return in.read(buffer, offset, buffer.length - offset);
        } catch (IOException | SdkException e) {
            throw new StoreFault("reading the object's body failed: " + e, e);
        }
    }
}
