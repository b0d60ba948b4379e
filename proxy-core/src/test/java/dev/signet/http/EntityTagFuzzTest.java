package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Entity-tags and {@code If-Match}/{@code If-None-Match} lists come from clients. A tag parses only when it is exactly
 * one tag, and prints back to its input; a parsed list written out again parses to the same list.
 */
class EntityTagFuzzTest {

    @FuzzTest
    void tagsAndListsPrintBackToWhatWasParsed(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Optional<EntityTag> tag = EntityTag.parse(text);
        if (tag.isPresent()) {
            assertThat((tag.get().weak() ? "W/" : "") + tag.get().opaque()).isEqualTo(text);
            assertThat(tag.get().opaque()).startsWith("\"").endsWith("\"").hasSizeGreaterThanOrEqualTo(2);
            assertThat(tag.get().weaklyMatches(tag.get())).isTrue();
            assertThat(tag.get().stronglyMatches(tag.get())).isEqualTo(!tag.get().weak());
        }
        Optional<EntityTag.TagList> list = EntityTag.parseList(text);
        if (list.isPresent() && !list.get().wildcard()) {
            assertThat(list.get().tags()).isNotEmpty();
            String written = list.get().tags().stream().map(t -> (t.weak() ? "W/" : "") + t.opaque())
                    .collect(Collectors.joining(", "));
            assertThat(EntityTag.parseList(written)).contains(list.get());
        }
    }
}
