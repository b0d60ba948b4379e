package dev.signet.server.index;

import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectPage;

/**
 * Estimated heap bytes of a page, for the byte budgets of the page caches. An estimate (Java does not say how much an
 * object graph holds), sized so that a budget is not overrun: what matters is that a 40 MB page weighs ten thousand
 * times a 4 KB one, which a count of entries cannot say.
 */
public final class PageWeights {

    /** A parsed file: its strings (twice the characters: URL and name), hashes, attributes and object headers. */
    private static final int PER_FILE = 400;
    private static final int PER_PAGE = 1024;

    private PageWeights() {
    }

    /** A cached upstream page: its upstream bytes plus the parsed page. */
    static int of(CachedPage<?> page) {
        if (page.isNotFound()) {
            return 64;
        }
        long parsed = page.parsed() instanceof ProjectPage p ? of(p) : page.parsed() instanceof ProjectList l
                ? PER_PAGE + 64L * l.projects().size() : 0;
        return clamp(page.raw().body().length + parsed);
    }

    /** A parsed project page. */
    public static int of(ProjectPage page) {
        long bytes = PER_PAGE;
        for (DistributionFile file : page.files()) {
            bytes += PER_FILE + 2L * (file.filename().length() + file.url().toString().length());
        }
        return clamp(bytes);
    }

    static int clamp(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
