package dev.signet.index;

import java.util.Objects;
import java.util.function.Function;

/**
 * Writes PEP 503 HTML pages. Every attribute installers read is kept; the href of each file is what the
 * {@link FileUrlMapper} chose, plus the file's hash as a fragment. PEP 700's size, upload time and
 * versions have no HTML form and are not written.
 */
public final class HtmlIndexRenderer {

    private HtmlIndexRenderer() {}

    public static String renderProject(ProjectPage page, FileUrlMapper mapper) {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(mapper, "mapper");
        StringBuilder out = new StringBuilder(256 + page.files().size() * 320);
        String title = "Links for " + page.name();
        header(out, ApiVersion.highestSatisfiedBy(page), title);
        for (DistributionFile file : page.files()) {
            out.append("    <a href=\"").append(Markup.attribute(href(file, mapper))).append('"');
            if (file.requiresPython() != null) {
                attribute(out, HtmlNames.REQUIRES_PYTHON, file.requiresPython());
            }
            if (file.yanked() != null) {
                attribute(out, HtmlNames.YANKED, file.yanked().reason());
            }
            if (file.coreMetadata() != null) {
                String value = Digests.preferredPair(file.coreMetadata().hashes()).orElse("true");
                attribute(out, HtmlNames.CORE_METADATA, value);
                attribute(out, HtmlNames.DIST_INFO_METADATA, value);
            }
            if (file.provenance() != null) {
                attribute(out, HtmlNames.PROVENANCE, file.provenance());
            }
            out.append('>').append(Markup.text(file.filename())).append("</a><br>\n");
        }
        return footer(out);
    }

    /** The root page; {@code hrefForProject} gives each listed name's link, e.g. {@code /simple/<name>/}. */
    public static String renderRoot(ProjectList list, Function<String, String> hrefForProject) {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(hrefForProject, "hrefForProject");
        StringBuilder out = new StringBuilder(256 + list.projects().size() * 64);
        header(out, RootVersion.of(list), "Simple index");
        for (String project : list.projects()) {
            out.append("    <a href=\"").append(Markup.attribute(hrefForProject.apply(project))).append("\">")
                    .append(Markup.text(project)).append("</a><br>\n");
        }
        return footer(out);
    }

    private static String href(DistributionFile file, FileUrlMapper mapper) {
        String href = Objects.requireNonNull(mapper.hrefFor(file), "mapper returned null for " + file.filename());
        if (href.indexOf('#') >= 0) {
            throw new IllegalArgumentException("mapper returned an href with a fragment for " + file.filename()
                    + ": " + href);
        }
        return Digests.preferredPair(file.hashes()).map(pair -> href + "#" + pair).orElse(href);
    }

    private static void attribute(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"").append(Markup.attribute(value)).append('"');
    }

    private static void header(StringBuilder out, ApiVersion version, String title) {
        out.append("<!DOCTYPE html>\n<html>\n  <head>\n")
                .append("    <meta name=\"").append(HtmlNames.REPOSITORY_VERSION).append("\" content=\"")
                .append(version).append("\">\n")
                .append("    <title>").append(Markup.text(title)).append("</title>\n")
                .append("  </head>\n  <body>\n")
                .append("    <h1>").append(Markup.text(title)).append("</h1>\n");
    }

    private static String footer(StringBuilder out) {
        return out.append("  </body>\n</html>\n").toString();
    }
}
