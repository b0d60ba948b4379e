package dev.signet.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One parsed entity-tag (RFC 9110 §8.8.3): {@code [W/] DQUOTE *etagc DQUOTE}, where
 * {@code opaque} is the quoted part including its quotes.
 */
record EntityTag(boolean weak, String opaque) {

    /** Parses exactly one entity-tag with nothing around it. */
    static Optional<EntityTag> parse(String s) {
        Cursor c = new Cursor(s);
        Optional<EntityTag> tag = c.entityTag();
        return tag.isPresent() && c.atEnd() ? tag : Optional.empty();
    }

    /**
     * Parses an {@code If-Match}/{@code If-None-Match} field value: {@code "*"} (returned as
     * {@link TagList#wildcard()}) or a comma-separated list of entity-tags, where empty list
     * elements are allowed (§5.6.1). Empty when malformed. Commas may occur inside a tag, so the
     * list is scanned tag by tag rather than split.
     */
    static Optional<TagList> parseList(String s) {
        String trimmed = Tokens.trimOws(s);
        if (trimmed.equals("*")) {
            return Optional.of(new TagList(true, List.of()));
        }
        Cursor c = new Cursor(trimmed);
        List<EntityTag> tags = new ArrayList<>();
        while (true) {
            c.skipOwsAndCommas();
            if (c.atEnd()) {
                break;
            }
            Optional<EntityTag> tag = c.entityTag();
            if (tag.isEmpty()) {
                return Optional.empty();
            }
            tags.add(tag.get());
            c.skipOws();
            if (!c.atEnd() && !c.peek(',')) {
                return Optional.empty();
            }
        }
        return tags.isEmpty() ? Optional.empty() : Optional.of(new TagList(false, List.copyOf(tags)));
    }

    /** Weak comparison: opaque tags equal, either or both may be weak. */
    boolean weaklyMatches(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /** Strong comparison: both strong and opaque tags equal. */
    boolean stronglyMatches(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    record TagList(boolean wildcard, List<EntityTag> tags) {
    }

    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        void skipOws() {
            while (pos < s.length() && Tokens.isOws(s.charAt(pos))) {
                pos++;
            }
        }

        void skipOwsAndCommas() {
            while (pos < s.length() && (Tokens.isOws(s.charAt(pos)) || s.charAt(pos) == ',')) {
                pos++;
            }
        }

        Optional<EntityTag> entityTag() {
            boolean weak = s.startsWith("W/", pos);
            int start = weak ? pos + 2 : pos;
            if (start >= s.length() || s.charAt(start) != '"') {
                return Optional.empty();
            }
            int i = start + 1;
            while (i < s.length() && isEtagc(s.charAt(i))) {
                i++;
            }
            if (i >= s.length() || s.charAt(i) != '"') {
                return Optional.empty();
            }
            pos = i + 1;
            return Optional.of(new EntityTag(weak, s.substring(start, pos)));
        }

        /** etagc = %x21 / %x23-7E / obs-text: visible characters except DQUOTE. */
        private static boolean isEtagc(char c) {
            return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
        }
    }
}
