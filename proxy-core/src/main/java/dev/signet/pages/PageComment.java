package dev.signet.pages;

import java.util.HashMap;
import java.util.Map;

/**
 * The signed fields of a page signature's trusted comment (docs/signed-index.md, section 2):
 * {@code signet-page:1<TAB>project:P<TAB>serial:N<TAB>expires:T<TAB>timestamp:T<TAB>file:index.json}. Parsing is
 * strict about the fields a verifier relies on and ignores the rest, so later versions can add fields.
 */
public record PageComment(String project, long serial, long expiresEpochSeconds) {

    /** The name of the signed file in a page signature's {@code file:} field. */
    public static final String FILE_NAME = "index.json";
    static final String VERSION = "1";

    /**
     * Renders the comment a publisher signs for this page.
     *
     * @param signedAtEpochSeconds when it is signed (the informational {@code timestamp:} field)
     */
    public String render(long signedAtEpochSeconds) {
        return "signet-page:" + VERSION + "\tproject:" + project + "\tserial:" + serial + "\texpires:"
                + expiresEpochSeconds + "\ttimestamp:" + signedAtEpochSeconds + "\tfile:" + FILE_NAME;
    }

    /**
     * @param trustedComment the trusted comment of a verified signature
     * @param requestedProject the project asked for, named in the refusal
     */
    public static PageComment parse(String trustedComment, String requestedProject) throws PageRefusedException {
        Map<String, String> fields = new HashMap<>();
        for (String field : trustedComment.split("\t", -1)) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                throw malformed(requestedProject, "trusted comment field '" + field + "' is not name:value");
            }
            String name = field.substring(0, colon);
            if (fields.putIfAbsent(name, field.substring(colon + 1)) != null) {
                throw malformed(requestedProject, "trusted comment has the field " + name + " twice");
            }
        }
        String version = fields.get("signet-page");
        if (version == null) {
            throw malformed(requestedProject, "the signature is not a page signature (no signet-page field)");
        }
        if (!VERSION.equals(version)) {
            throw malformed(requestedProject, "unsupported page format version " + version);
        }
        String project = fields.get("project");
        if (project == null || project.isEmpty()) {
            throw malformed(requestedProject, "trusted comment has no project field");
        }
        long serial = number(fields.get("serial"), "serial", requestedProject);
        if (serial < 1) {
            throw malformed(requestedProject, "serial must be at least 1");
        }
        long expires = number(fields.get("expires"), "expires", requestedProject);
        return new PageComment(project, serial, expires);
    }

    /** A decimal without sign or leading zeros that fits a long. */
    private static long number(String text, String field, String project) throws PageRefusedException {
        if (text == null) {
            throw malformed(project, "trusted comment has no " + field + " field");
        }
        boolean digits = !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (text.length() > 1 && text.charAt(0) == '0')) {
            throw malformed(project, field + " '" + text + "' is not a decimal number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw malformed(project, field + " '" + text + "' is too large");
        }
    }

    private static PageRefusedException malformed(String project, String detail) {
        return new PageRefusedException(PageRefusal.MALFORMED, project, detail);
    }
}
