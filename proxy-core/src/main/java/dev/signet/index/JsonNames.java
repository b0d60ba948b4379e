package dev.signet.index;

/** Keys and media types of the JSON form of the simple API (PEP 691, 700, 714, 740). */
final class JsonNames {
    static final String META = "meta";
    static final String API_VERSION = "api-version";
    static final String NAME = "name";
    static final String PROJECTS = "projects";
    static final String FILES = "files";
    static final String VERSIONS = "versions";
    static final String FILENAME = "filename";
    static final String URL = "url";
    static final String HASHES = "hashes";
    static final String REQUIRES_PYTHON = "requires-python";
    static final String YANKED = "yanked";
    static final String CORE_METADATA = "core-metadata";
    static final String DIST_INFO_METADATA = "dist-info-metadata";
    static final String SIZE = "size";
    static final String UPLOAD_TIME = "upload-time";
    static final String PROVENANCE = "provenance";

    private JsonNames() {}
}
