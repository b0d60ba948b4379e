package dev.signet.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static final URI INDEX = URI.create("https://alice:s%3Acret@index.example.org/simple/");

    @Test
    void basicAuthFromUserInfoGoesOnlyToTheIndexOrigin() {
        Credentials c = Credentials.of(INDEX, null);
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s:cret".getBytes(StandardCharsets.UTF_8));
        assertThat(c.headersFor(URI.create("https://index.example.org/packages/a.whl"))).containsEntry("Authorization", expected);
        assertThat(c.headersFor(URI.create("https://INDEX.example.org:443/x"))).containsEntry("Authorization", expected);
        assertThat(c.headersFor(URI.create("http://index.example.org/x"))).as("other scheme").isEmpty();
        assertThat(c.headersFor(URI.create("https://index.example.org:8443/x"))).as("other port").isEmpty();
        assertThat(c.headersFor(URI.create("https://files.example.org/a.whl"))).as("other host").isEmpty();
        assertThat(c.headersFor(URI.create("https://index.example.org.evil.test/a.whl"))).isEmpty();
    }

    @Test
    void bearerTokenAndNeitherNorBoth() {
        Credentials token = Credentials.of(URI.create("http://127.0.0.1:9000/simple/"), "t0ken");
        assertThat(token.headersFor(URI.create("http://127.0.0.1:9000/simple/x/"))).containsEntry("Authorization", "Bearer t0ken");
        assertThat(Credentials.of(URI.create("http://h/simple/"), null)).isSameAs(Credentials.NONE);
        assertThat(Credentials.NONE.headersFor(URI.create("http://h/simple/"))).isEmpty();
        assertThatThrownBy(() -> Credentials.of(INDEX, "t")).hasMessageContaining("not both");
        assertThatThrownBy(() -> Credentials.of(URI.create("http://h/"), "a b")).hasMessageContaining("printable");
    }

    @Test
    void neverShownAndStrippedFromTheUrl() {
        Credentials c = Credentials.of(INDEX, null);
        assertThat(c.toString()).doesNotContain("alice").doesNotContain("cret");
        assertThat(Credentials.withoutUserInfo(INDEX)).isEqualTo(URI.create("https://index.example.org/simple/"));
        assertThat(UpstreamClient.redacted(INDEX)).doesNotContain("alice");
    }
}
