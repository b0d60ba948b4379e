package dev.signet.index;

/**
 * Chooses the URL a rendered page gives for a file, e.g. Signet's own {@code /packages/foo/foo-1.0.tar.gz}.
 * The returned href must not carry a fragment: the HTML renderer appends the {@code #sha256=} itself.
 */
@FunctionalInterface
public interface FileUrlMapper {
    String hrefFor(DistributionFile file);
}
