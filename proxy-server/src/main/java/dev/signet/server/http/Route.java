package dev.signet.server.http;

import dev.signet.index.ProjectName;
import dev.signet.store.ArtifactKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The public URL space, parsed from a request path:
 * <ul>
 *   <li>{@code /simple/} the project list;</li>
 *   <li>{@code /simple/<normalized-name>/} a project page (other spellings redirect);</li>
 *   <li>{@code /packages/<normalized-name>/<filename>} an artifact, served only verified.</li>
 * </ul>
 */
sealed interface Route {

    String SIMPLE = "/simple/";
    String PACKAGES = "/packages/";

    record RootIndex() implements Route {}

    record ProjectIndex(String project) implements Route {}

    record Artifact(ArtifactKey key) implements Route {}

    record Redirect(String location) implements Route {}

    record NotFound(String reason) implements Route {}

    static Route parse(String uri) {
        String path = uri;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/") || path.equals("/simple")) {
            return new Redirect(SIMPLE);
        }
        if (path.equals(SIMPLE)) {
            return new RootIndex();
        }
        if (path.startsWith(SIMPLE)) {
            return project(path.substring(SIMPLE.length()));
        }
        if (path.startsWith(PACKAGES)) {
            return artifact(path.substring(PACKAGES.length()));
        }
        return new NotFound("no such path: " + printable(path));
    }

    private static Route project(String rest) {
        boolean slash = rest.endsWith("/");
        String raw = decode(slash ? rest.substring(0, rest.length() - 1) : rest);
        if (raw == null || raw.isEmpty() || raw.contains("/") || !ProjectName.isValid(raw)) {
            return new NotFound("not a valid project name: " + printable(rest));
        }
        String normalized = ProjectName.normalize(raw);
        if (!slash || !normalized.equals(raw)) {
            return new Redirect(SIMPLE + normalized + "/");
        }
        return new ProjectIndex(normalized);
    }

    private static Route artifact(String rest) {
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return new NotFound("no such path: " + printable(PACKAGES + rest));
        }
        String project = decode(rest.substring(0, slash));
        String filename = decode(rest.substring(slash + 1));
        if (project == null || filename == null || !ProjectName.isValid(project)
                || !ProjectName.normalize(project).equals(project)) {
            return new NotFound("no such artifact: " + printable(rest));
        }
        try {
            return new Artifact(new ArtifactKey(project, filename));
        } catch (IllegalArgumentException e) {
            return new NotFound("not a valid artifact file name: " + printable(rest));
        }
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            // Nothing escaped (the usual case): a path segment is taken as it is; '+' is a plus in a path, not a space.
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Paths end up in one-line messages and logs: keep them on one line and short. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
