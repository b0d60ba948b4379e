package dev.signet.server.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Maps a decoded request path onto a file below the served root, refusing anything that could escape it. */
final class StaticPaths {
    enum Outcome { FILE, REDIRECT, NOT_FOUND, BAD_REQUEST }

    record Resolution(Outcome outcome, Path file, String location) {
        static Resolution of(Outcome outcome) {
            return new Resolution(outcome, null, null);
        }
    }

    private final Path realRoot;

    StaticPaths(Path root) throws IOException {
        this.realRoot = root.toRealPath();
    }

    Resolution resolve(String path) throws IOException {
        if (path == null || !path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return Resolution.of(Outcome.BAD_REQUEST);
        }
        boolean directoryUrl = path.endsWith("/");
        String relative = path.substring(1, directoryUrl ? path.length() - 1 : path.length());
        if (!relative.isEmpty() && !hasOnlyPlainSegments(relative)) {
            return Resolution.of(Outcome.BAD_REQUEST);
        }
        Path candidate = realRoot.resolve(relative).normalize();
        if (!candidate.startsWith(realRoot)) {
            return Resolution.of(Outcome.BAD_REQUEST);
        }
        if (Files.isDirectory(candidate)) {
            if (!directoryUrl) {
                return new Resolution(Outcome.REDIRECT, null, path + "/");
            }
            candidate = candidate.resolve("index.html");
        } else if (directoryUrl) {
            return Resolution.of(Outcome.NOT_FOUND);
        }
        // A symlink inside the root may still point outside it; only its real target decides.
        if (!Files.isRegularFile(candidate) || !candidate.toRealPath().startsWith(realRoot)) {
            return Resolution.of(Outcome.NOT_FOUND);
        }
        return new Resolution(Outcome.FILE, candidate, null);
    }

    /** Empty, "." and ".." segments are refused outright rather than normalized away. */
    private static boolean hasOnlyPlainSegments(String relative) {
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
