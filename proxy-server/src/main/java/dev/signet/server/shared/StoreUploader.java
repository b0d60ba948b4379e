package dev.signet.server.shared;

import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The write path of the shared store: a committed, verified file goes up as it is on disk, streamed from the file
 * (one request, or a multipart upload above the part size), with its signature in the object's metadata (or, when
 * too large for that, in a sidecar object written first), and only if no object exists under its name
 * ({@code If-None-Match: *}, on the PUT or on completing the multipart upload): edges racing on one artifact cannot
 * replace each other's object, and one that was refused and deleted is written afresh. Blocking: runs on the store's
 * upload threads, never in the way of a client.
 */
final class StoreUploader {

    enum Outcome {
        UPLOADED, EXISTS, SKIPPED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final String SIGNATURE_TYPE = "text/plain";

    private final S3Client s3;
    private final String bucket;
    private final ObjectKeys keys;
    private final long partSize;
    private final Duration timeout;

    StoreUploader(S3Client s3, String bucket, ObjectKeys keys, long partSize, Duration timeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.partSize = partSize;
        this.timeout = timeout;
    }

    Outcome upload(StoredArtifact entry) throws StoreFault {
        SignatureMetadata.Placement signature = SignatureMetadata.of(entry.record().signatureFile());
        Map<String, String> metadata = signature.metadata();
        String key = keys.of(entry.key());
        long length = entry.record().length();
        try (FileChannel file = FileChannel.open(entry.path(), StandardOpenOption.READ)) {
            if (!entry.identityMatchesDisk()) {
                // Replaced or changed since it was verified: this edge no longer vouches for what is on disk.
                return Outcome.SKIPPED;
            }
            if (exists(key)) {
                return Outcome.EXISTS;
            }
            if (signature.sidecar() != null) {
                // Before the artifact: no reader finds an artifact whose sidecar is not there yet. Not conditional: an
                // edge that gets here found no artifact, so a sidecar left of an older one is replaced.
                s3.putObject(b -> b.bucket(bucket).key(keys.signatureOf(entry.key())).contentType(SIGNATURE_TYPE)
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout)), RequestBody.fromBytes(signature.sidecar()));
            }
            if (length <= partSize) {
                s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentLength(length)
                                .contentType(CONTENT_TYPE).metadata(metadata),
                        RequestBody.fromContentProvider(() -> new FileRangeStream(file, 0, length), length, CONTENT_TYPE));
            } else {
                multipart(key, file, length, metadata);
            }
            return Outcome.UPLOADED;
        } catch (NoSuchFileException gone) {
            // Evicted or purged before its upload: nothing to offer.
            return Outcome.SKIPPED;
        } catch (IOException e) {
            return Outcome.SKIPPED;
        } catch (S3Exception e) {
            if (preconditionFailed(e)) {
                return Outcome.EXISTS;
            }
            throw new StoreFault("upload answered " + e.statusCode(), e);
        } catch (SdkException e) {
            throw new StoreFault("upload failed: " + e.getMessage(), e);
        }
    }

    /** Saves uploading a file another edge has already put there; the conditional write still settles a race. */
    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void multipart(String key, FileChannel file, long length, Map<String, String> metadata) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .metadata(metadata).overrideConfiguration(o -> o.apiCallTimeout(timeout))).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < length; offset += partSize, number++) {
                long size = Math.min(partSize, length - offset);
                long start = offset;
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                .contentLength(size),
                        RequestBody.fromContentProvider(() -> new FileRangeStream(file, start, size), size, CONTENT_TYPE))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(u -> u.parts(parts)).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            completed = true;
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    /** An abandoned upload's parts cost storage until aborted (the lifecycle rule in docs/fleet.md catches the rest). */
    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException ignored) {
            // The lifecycle rule removes incomplete uploads.
        }
    }

    /** 412: an object is there already; 409: a conditional write raced another one (S3 says: retry, or take theirs). */
    static boolean preconditionFailed(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }
}
