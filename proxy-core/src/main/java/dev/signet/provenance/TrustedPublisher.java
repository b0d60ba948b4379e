package dev.signet.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Trusted Publisher a PEP 740 attestation bundle names (PyPI's "publisher" object), and whether a Fulcio
 * signing certificate was issued to it. The checks are pypi-attestations' ({@code GitHubPublisher},
 * {@code GitLabPublisher}, {@code GooglePublisher}): the OIDC issuer, the source repository, and the workflow file
 * encoded in the certificate's Build Config URI at the certificate's own commit or ref. A kind this list does not know
 * cannot be checked, so it fails.
 */
public sealed interface TrustedPublisher {

    String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
    String GITLAB_ISSUER = "https://gitlab.com";
    String GOOGLE_ISSUER = "https://accounts.google.com";

    /** Why the signing {@code certificate} was not issued to this publisher, or empty when it was. */
    Optional<String> mismatch(X509Certificate certificate);

    /** One line for log lines and refusals, e.g. {@code GitHub trailofbits/pypi-attestations release.yml}. */
    String describe();

    /** A GitHub Actions workflow {@code workflow} (a file name under .github/workflows) of {@code repository}. */
    record GitHub(String repository, String workflow) implements TrustedPublisher {
        @Override
        public Optional<String> mismatch(X509Certificate certificate) {
            return buildConfigMismatch(new FulcioClaims(certificate), GITHUB_ISSUER, "https://github.com/" + repository,
                    "https://github.com/" + repository + "/.github/workflows/" + workflow + "@", this);
        }

        @Override
        public String describe() {
            return "GitHub " + repository + " " + workflow;
        }
    }

    /** A GitLab CI/CD configuration {@code workflowFilepath} of project {@code repository} on gitlab.com. */
    record GitLab(String repository, String workflowFilepath) implements TrustedPublisher {
        @Override
        public Optional<String> mismatch(X509Certificate certificate) {
            return buildConfigMismatch(new FulcioClaims(certificate), GITLAB_ISSUER, "https://gitlab.com/" + repository,
                    "https://gitlab.com/" + repository + "//" + workflowFilepath + "@", this);
        }

        @Override
        public String describe() {
            return "GitLab " + repository + " " + workflowFilepath;
        }
    }

    /** A Google Cloud service account. */
    record Google(String email) implements TrustedPublisher {
        @Override
        public Optional<String> mismatch(X509Certificate certificate) {
            FulcioClaims claims = new FulcioClaims(certificate);
            Optional<String> issuer = claims.issuer();
            if (issuer.isEmpty() || !issuer.get().equals(GOOGLE_ISSUER)) {
                return Optional.of("certificate issuer " + issuer.orElse("(none)") + " is not " + GOOGLE_ISSUER);
            }
            if (!claims.subjectAlternativeNames().contains(email)) {
                return Optional.of("certificate identity " + claims.subjectAlternativeNames() + " is not " + email);
            }
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "Google " + email;
        }
    }

    /** A publisher kind Signet cannot check. */
    record Unsupported(String kind) implements TrustedPublisher {
        @Override
        public Optional<String> mismatch(X509Certificate certificate) {
            return Optional.of("publisher kind " + kind + " cannot be checked");
        }

        @Override
        public String describe() {
            return kind;
        }
    }

    private static Optional<String> buildConfigMismatch(FulcioClaims claims, String expectedIssuer, String repository,
            String buildConfigPrefix, TrustedPublisher publisher) {
        Optional<String> issuer = claims.issuer();
        if (issuer.isEmpty() || !issuer.get().equals(expectedIssuer)) {
            return Optional.of("certificate issuer " + issuer.orElse("(none)") + " is not " + expectedIssuer);
        }
        Optional<String> sourceRepository = claims.claim(FulcioClaims.SOURCE_REPOSITORY_URI);
        if (sourceRepository.isEmpty() || !sourceRepository.get().equals(repository)) {
            return Optional.of("certificate source repository " + sourceRepository.orElse("(none)") + " is not "
                    + repository);
        }
        // The publisher names the workflow file but not the commit it ran at; the certificate gives both the
        // workflow it ran (Build Config URI) and the commit and ref, so the expected URI is built from those.
        Optional<String> buildConfig = claims.claim(FulcioClaims.BUILD_CONFIG_URI);
        List<String> suffixes = new ArrayList<>();
        claims.claim(FulcioClaims.SOURCE_REPOSITORY_DIGEST).ifPresent(suffixes::add);
        claims.claim(FulcioClaims.SOURCE_REPOSITORY_REF).ifPresent(suffixes::add);
        if (buildConfig.isEmpty() || suffixes.isEmpty()) {
            return Optional.of("certificate has no Build Config URI or no source commit and ref");
        }
        for (String suffix : suffixes) {
            if (buildConfig.get().equals(buildConfigPrefix + suffix)) {
                return Optional.empty();
            }
        }
        return Optional.of("certificate Build Config URI " + buildConfig.get() + " is not the workflow of "
                + publisher.describe());
    }

    /** Reads PyPI's publisher object; a missing or non-string field the kind needs is malformed. */
    static TrustedPublisher parse(JsonNode node) throws ProvenanceException {
        if (node == null || !node.isObject()) {
            throw Provenance.malformed("an attestation bundle has no publisher");
        }
        String kind = text(node, "kind");
        return switch (kind) {
            case "GitHub" -> new GitHub(text(node, "repository"), text(node, "workflow"));
            case "GitLab" -> new GitLab(text(node, "repository"), text(node, "workflow_filepath"));
            case "Google" -> new Google(text(node, "email"));
            default -> new Unsupported(kind.length() > 40 ? kind.substring(0, 40) : kind);
        };
    }

    private static String text(JsonNode node, String field) throws ProvenanceException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw Provenance.malformed("the publisher has no " + field);
        }
        return value.asText().replaceAll("\\p{Cntrl}", "?");
    }
}
