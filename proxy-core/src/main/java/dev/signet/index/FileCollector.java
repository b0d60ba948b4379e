package dev.signet.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a page's files in upstream order, one per filename, and refuses names that are not plain file
 * names: the caller will use the name to build Signet paths and cache keys.
 */
final class FileCollector {

    private static final Logger LOG = LoggerFactory.getLogger(FileCollector.class);

    private final Map<String, DistributionFile> byName = new LinkedHashMap<>();
    private final String page;

    FileCollector(String page) {
        this.page = page;
    }

    /** Keeps the first file of a name: a later duplicate cannot be told apart from it by installers anyway. */
    void add(DistributionFile file) {
        DistributionFile earlier = byName.putIfAbsent(file.filename(), file);
        if (earlier != null && !earlier.equals(file)) {
            LOG.warn("{}: duplicate file {} ignored (kept {}, dropped {})", page, file.filename(), earlier.url(), file.url());
        }
    }

    List<DistributionFile> files() {
        return new ArrayList<>(byName.values());
    }

    /** A file name must be one path segment without control characters. */
    static String requireSafeFilename(String name, String where) throws IndexFormatException {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IndexFormatException(where + ": file name \"" + name + "\" is not a file name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                throw new IndexFormatException(where + ": file name \"" + name.replaceAll("\\p{Cntrl}", "?")
                        + "\" contains a path separator or control character");
            }
        }
        return name;
    }
}
