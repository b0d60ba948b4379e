package dev.signet.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads PEP 503 HTML pages (with PEP 592, 629, 658/714 and 740 attributes). Markup is parsed leniently, as a
 * browser would (jsoup's HTML5 parser); what the page says about files is checked strictly.
 */
public final class HtmlIndexParser {

    private static final Logger LOG = LoggerFactory.getLogger(HtmlIndexParser.class);

    private HtmlIndexParser() {}

    /**
     * Parses a project page.
     *
     * @param pageUrl     absolute URL the page was fetched from; relative hrefs resolve against it, or against
     *                    the page's {@code <base href>} when it has one
     * @param projectName the name recorded in the result
     */
    public static ProjectPage parseProject(String html, URI pageUrl, String projectName) throws IndexFormatException {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(projectName, "projectName");
        Hrefs.requireAbsolute(pageUrl);
        Document doc = Jsoup.parse(html);
        ApiVersion apiVersion = declaredApiVersion(doc);
        URI base = baseUrl(doc, pageUrl);
        FileCollector files = new FileCollector(pageUrl.toString());
        for (Element anchor : doc.getElementsByTag("a")) {
            DistributionFile file = toFile(anchor, base);
            if (file != null) {
                files.add(file);
            }
        }
        return new ProjectPage(projectName, files.files(), List.of(), apiVersion);
    }

    /** Parses the root page: one project per anchor, named by the anchor's text. */
    public static ProjectList parseRoot(String html) throws IndexFormatException {
        Objects.requireNonNull(html, "html");
        Document doc = Jsoup.parse(html);
        ApiVersion apiVersion = declaredApiVersion(doc);
        List<String> projects = new ArrayList<>();
        for (Element anchor : doc.getElementsByTag("a")) {
            String name = anchor.text().strip();
            if (!name.isEmpty()) {
                projects.add(name);
            }
        }
        return new ProjectList(projects, apiVersion);
    }

    /** PEP 629: a page without the meta tag is version 1.0. */
    private static ApiVersion declaredApiVersion(Document doc) throws IndexFormatException {
        for (Element meta : doc.getElementsByTag("meta")) {
            if (HtmlNames.REPOSITORY_VERSION.equals(meta.attr("name"))) {
                return ApiVersion.parseSupported(meta.attr("content"));
            }
        }
        return ApiVersion.V1_0;
    }

    /** Like pip: the first {@code <base>} with an href, itself resolved against the page URL. */
    private static URI baseUrl(Document doc, URI pageUrl) throws IndexFormatException {
        for (Element base : doc.getElementsByTag("base")) {
            if (base.hasAttr("href")) {
                try {
                    return Hrefs.resolve(pageUrl, base.attr("href")).target();
                } catch (URISyntaxException e) {
                    throw new IndexFormatException("unparseable <base href=\"" + base.attr("href") + "\">: "
                            + e.getReason(), e);
                }
            }
        }
        return pageUrl;
    }

    /** One anchor as a file, or null for an anchor that names no file (no href, or a directory URL). */
    private static DistributionFile toFile(Element anchor, URI base) throws IndexFormatException {
        String href = anchor.attr("href");
        if (href.isBlank()) {
            return null;
        }
        Hrefs.Split link;
        try {
            link = Hrefs.resolve(base, href);
        } catch (URISyntaxException e) {
            LOG.warn("skipping link with unparseable href \"{}\": {}", href, e.getReason());
            return null;
        }
        String name = Hrefs.lastSegment(link.target());
        if (name.isEmpty()) {
            return null;
        }
        String where = "link " + link.target();
        FileCollector.requireSafeFilename(name, where);
        Map<String, String> hashes = Digests.fromFragment(link.fragment(), where);
        return new DistributionFile(
                name,
                link.target(),
                hashes,
                requiresPython(anchor),
                anchor.hasAttr(HtmlNames.YANKED) ? new Yank(anchor.attr(HtmlNames.YANKED)) : null,
                coreMetadata(anchor),
                null,
                null,
                provenance(anchor, base));
    }

    /** pip treats an empty specifier as none. jsoup has already decoded {@code &gt;} and friends. */
    private static String requiresPython(Element anchor) {
        String value = anchor.attr(HtmlNames.REQUIRES_PYTHON);
        return value.isEmpty() ? null : value;
    }

    /**
     * PEP 714: the new attribute wins over the legacy one. A value that is neither {@code true} nor a valid
     * {@code name=hex} is read as "no metadata", so installers fall back to the full file instead of failing.
     */
    private static CoreMetadata coreMetadata(Element anchor) {
        String value = anchor.hasAttr(HtmlNames.CORE_METADATA)
                ? anchor.attr(HtmlNames.CORE_METADATA)
                : anchor.hasAttr(HtmlNames.DIST_INFO_METADATA) ? anchor.attr(HtmlNames.DIST_INFO_METADATA) : null;
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.equalsIgnoreCase("true")) {
            return CoreMetadata.withoutHashes();
        }
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        try {
            Map<String, String> hashes = new LinkedHashMap<>();
            Digests.put(hashes, trimmed.substring(0, eq), trimmed.substring(eq + 1), "core metadata");
            return new CoreMetadata(hashes);
        } catch (IndexFormatException e) {
            LOG.warn("ignoring malformed core-metadata attribute \"{}\": {}", value, e.getMessage());
            return null;
        }
    }

    private static String provenance(Element anchor, URI base) {
        String value = anchor.attr(HtmlNames.PROVENANCE);
        if (value.isBlank()) {
            return null;
        }
        try {
            Hrefs.Split link = Hrefs.resolve(base, value);
            return link.fragment() == null ? link.target().toString() : link.target() + "#" + link.fragment();
        } catch (URISyntaxException e) {
            LOG.warn("ignoring unparseable data-provenance \"{}\": {}", value, e.getReason());
            return null;
        }
    }
}
