package dev.signet.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code shared-store.*} settings into a {@link SharedStoreConfig}: defaults and validation. */
final class SharedStoreSection {

    static final String URL = "shared-store.url";
    static final String ENDPOINT = "shared-store.endpoint";
    static final String REGION = "shared-store.region";
    static final String PATH_STYLE = "shared-store.path-style";
    static final String TIMEOUT = "shared-store.timeout";
    static final String THREADS = "shared-store.threads";
    static final String PART_SIZE = "shared-store.part-size";
    static final String BACKOFF = "shared-store.backoff";

    /** S3's bucket naming rules (3 to 63 lowercase letters, digits, dots, hyphens), which every S3 clone accepts. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9-]{1,64}");
    /** S3's smallest part is 5MiB; 5GiB its largest. */
    private static final long MIN_PART = 5L << 20;
    private static final long MAX_PART = 5L << 30;

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    SharedStoreSection(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        SharedStoreConfig off = SharedStoreConfig.OFF;
        d.put(URL, "");
        d.put(ENDPOINT, "");
        d.put(REGION, off.region());
        d.put(PATH_STYLE, "false");
        d.put(TIMEOUT, "10s");
        d.put(THREADS, Integer.toString(off.threads()));
        d.put(PART_SIZE, "64MiB");
        d.put(BACKOFF, "30s");
    }

    SharedStoreConfig read() {
        String[] location = loader.parse(values, URL, SharedStoreSection::location);
        URI endpoint = loader.parse(values, ENDPOINT, SharedStoreSection::endpoint);
        String region = loader.parse(values, REGION, SharedStoreSection::region);
        Boolean pathStyle = loader.parse(values, PATH_STYLE, ConfigLoader::bool);
        Duration timeout = loader.parse(values, TIMEOUT, SharedStoreSection::timeout);
        Integer threads = loader.parse(values, THREADS, text -> ConfigLoader.wholeNumber(text, 1, 256, "1 and 256"));
        Long partSize = loader.parse(values, PART_SIZE, SharedStoreSection::partSize);
        Duration backoff = loader.parse(values, BACKOFF, ConfigLoader::positiveDuration);
        if (location == null || region == null || pathStyle == null || timeout == null || threads == null
                || partSize == null || backoff == null) {
            return null;
        }
        if (location.length == 0) {
            return SharedStoreConfig.OFF;
        }
        return new SharedStoreConfig(location[0], location[1], endpoint, region, pathStyle, timeout, threads, partSize,
                backoff);
    }

    /** {@code ""} (off: an empty array) or {@code s3://bucket} or {@code s3://bucket/prefix}: bucket and prefix. */
    static String[] location(String text) {
        if (text.isEmpty()) {
            return new String[0];
        }
        if (!text.startsWith("s3://")) {
            throw new IllegalArgumentException("expected s3://BUCKET or s3://BUCKET/PREFIX, got '" + text + "'");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket name must be 3 to 63 lowercase letters, digits, '.' or '-', got '"
                    + bucket + "'");
        }
        if (prefix.contains("//") || prefix.startsWith("/") || prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("prefix must not start with '/', hold '//' or control characters: '"
                    + prefix + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new String[] {bucket, prefix};
    }

    /** {@code ""} (AWS) or an http(s) URL without credentials (they come from the provider chain, never a setting). */
    static URI endpoint(String text) {
        if (text.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http:// or https:// URL, got '" + text + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not hold credentials (they come from the AWS environment variables, "
                    + "profile file or web identity)");
        }
        return uri;
    }

    static String region(String text) {
        if (!REGION_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("expected a region name such as us-east-1, got '" + text + "'");
        }
        return text;
    }

    /** At least 100ms (below that a healthy store looks down), at most 10m. */
    static Duration timeout(String text) {
        Duration d = Units.parseDuration(text);
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("must be 100ms to 10m, got " + text);
        }
        return d;
    }

    static long partSize(String text) {
        long size = Units.parseSize(text);
        if (size < MIN_PART || size > MAX_PART) {
            throw new IllegalArgumentException("must be 5MiB to 5GiB (S3's part limits), got " + text);
        }
        return size;
    }
}
