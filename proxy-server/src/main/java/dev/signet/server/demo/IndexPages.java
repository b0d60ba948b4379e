package dev.signet.server.demo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Renders the PEP 503 root page and project pages, marked as repository API version 1.0 (PEP 629). */
final class IndexPages {
    /** One file link on a project page; {@code metadataSha256} is present when a PEP 658 sidecar is published. */
    record Link(String fileName, String sha256, Optional<String> requiresPython, Optional<String> metadataSha256) {
    }

    private IndexPages() {
    }

    static String rootPage(Collection<String> normalizedProjects) {
        StringBuilder body = new StringBuilder();
        for (String project : normalizedProjects) {
            String escaped = Html.escape(project);
            body.append("    <a href=\"").append(escaped).append("/\">").append(escaped).append("</a><br>\n");
        }
        return page("Simple index", body);
    }

    static String projectPage(String normalizedProject, List<Link> links) {
        StringBuilder body = new StringBuilder();
        body.append("    <h1>Links for ").append(Html.escape(normalizedProject)).append("</h1>\n");
        for (Link link : links) {
            String href = "../../packages/" + link.fileName() + "#sha256=" + link.sha256();
            body.append("    <a href=\"").append(Html.escape(href)).append('"');
            link.requiresPython().ifPresent(spec ->
                    body.append(" data-requires-python=\"").append(Html.escape(spec)).append('"'));
            link.metadataSha256().ifPresent(sha256 -> {
                // PEP 714 renamed the attribute; older pip releases only read the PEP 658 spelling, so emit both.
                body.append(" data-core-metadata=\"sha256=").append(sha256).append('"');
                body.append(" data-dist-info-metadata=\"sha256=").append(sha256).append('"');
            });
            body.append('>').append(Html.escape(link.fileName())).append("</a><br>\n");
        }
        return page("Links for " + normalizedProject, body);
    }

    private static String page(String title, CharSequence body) {
        return "<!DOCTYPE html>\n<html>\n  <head>\n"
                + "    <meta name=\"pypi:repository-version\" content=\"1.0\">\n"
                + "    <title>" + Html.escape(title) + "</title>\n"
                + "  </head>\n  <body>\n"
                + body
                + "  </body>\n</html>\n";
    }
}
