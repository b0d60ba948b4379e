package dev.signet.index;

/** Attribute and meta names of the HTML form of the simple API. */
final class HtmlNames {
    static final String REPOSITORY_VERSION = "pypi:repository-version";
    static final String REQUIRES_PYTHON = "data-requires-python";
    static final String YANKED = "data-yanked";
    static final String CORE_METADATA = "data-core-metadata";
    static final String DIST_INFO_METADATA = "data-dist-info-metadata";
    static final String PROVENANCE = "data-provenance";

    private HtmlNames() {}
}
