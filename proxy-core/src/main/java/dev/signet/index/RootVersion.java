package dev.signet.index;

/**
 * The api-version a rendered root page reports. Versions after 1.0 change only project pages, so a root
 * page can honestly claim whatever upstream claimed, capped at the highest version Signet implements.
 */
final class RootVersion {

    private RootVersion() {}

    static ApiVersion of(ProjectList list) {
        return list.apiVersion().isAtMost(ApiVersion.V1_1) ? list.apiVersion() : ApiVersion.V1_1;
    }
}
