package dev.signet.server.config;

import java.time.Duration;
import java.util.Map;

/** The settings of {@link PagesConfig}: defaults and validation, apart from the core settings in {@link ConfigLoader}. */
final class PagesSettings {

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    PagesSettings(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        d.put("page-cache-size", "auto");
        d.put("page-fetch-memory", "auto");
        d.put("metadata-checks-per-page", "64");
        d.put("metadata-check-wait", "250ms");
    }

    PagesConfig read() {
        Long cacheSize = loader.parse(values, "page-cache-size", PagesSettings::autoOrSize);
        Long fetchMemory = loader.parse(values, "page-fetch-memory", PagesSettings::autoOrSize);
        Integer checks = loader.parse(values, "metadata-checks-per-page", PagesSettings::checks);
        Duration wait = loader.parse(values, "metadata-check-wait", PagesSettings::wait);
        if (cacheSize == null || fetchMemory == null || checks == null || wait == null) {
            return null;
        }
        return new PagesConfig(cacheSize, fetchMemory, checks, wait);
    }

    /** {@code auto} (returned as 0) or a size of at least 1MiB. */
    static long autoOrSize(String text) {
        if (text.equalsIgnoreCase("auto")) {
            return 0;
        }
        long size = Units.parseSize(text);
        if (size < 1L << 20) {
            throw new IllegalArgumentException("must be auto or at least 1MiB, got " + text);
        }
        return size;
    }

    static int checks(String text) {
        return ConfigLoader.wholeNumber(text, 0, 10_000, "0 and 10000");
    }

    /** A page view waits at most this long; more than a minute would be a hang, not a wait. */
    static Duration wait(String text) {
        Duration d = Units.parseDuration(text);
        if (d.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("must be at most 1m, got " + text);
        }
        return d;
    }
}
