package dev.signet.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/** Reads the {@code request-head.*} settings (limits on what a client may send before its request is answered). */
final class RequestHeadSection {

    /** Below this a plain {@code GET} of an artifact with a long file name would not fit. */
    private static final long MIN_SIZE = 1024;
    /** Above this the limit protects nothing: a head is held in memory whole. */
    private static final long MAX_SIZE = 1024 * 1024;

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    RequestHeadSection(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        RequestHeadLimits limits = RequestHeadLimits.DEFAULTS;
        d.put("request-head.max-request-line", Units.formatSize(limits.maxRequestLine()));
        d.put("request-head.max-header-size", Units.formatSize(limits.maxHeaderSize()));
        d.put("request-head.max-headers", Integer.toString(limits.maxHeaders()));
        d.put("request-head.timeout", Units.formatDuration(limits.timeout()));
    }

    RequestHeadLimits read() {
        Long line = parse("request-head.max-request-line", RequestHeadSection::headSize);
        Long headers = parse("request-head.max-header-size", RequestHeadSection::headSize);
        Integer count = parse("request-head.max-headers", RequestHeadSection::headerCount);
        Duration timeout = parse("request-head.timeout", ConfigLoader::positiveDuration);
        if (line == null || headers == null || count == null || timeout == null) {
            return null;
        }
        return new RequestHeadLimits(line.intValue(), headers.intValue(), count, timeout);
    }

    private <T> T parse(String key, Function<String, T> parser) {
        return loader.parse(values, key, parser);
    }

    static long headSize(String text) {
        long size = Units.parseSize(text);
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("must be between 1KiB and 1MiB, got " + text);
        }
        return size;
    }

    static int headerCount(String text) {
        return ConfigLoader.wholeNumber(text, 8, 10_000, "8 and 10000");
    }
}
