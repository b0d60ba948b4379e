package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "0, 0",
            "1048576, 1048576",
            "7B, 7",
            "1KiB, 1024",
            "512kib, 524288",
            "64MiB, 67108864",
            "64 MiB, 67108864",
            "10GiB, 10737418240",
            "2TiB, 2199023255552",
            "1KB, 1000",
            "3MB, 3000000",
            "1GB, 1000000000",
            "5TB, 5000000000000",
            "' 8MiB ', 8388608"})
    void parsesSizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1", "1.5MiB", "1 MiBs", "1PiB", "1Mi", "ten", "1,024"})
    void refusesMalformedSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a size (examples: 1048576, 512KiB, 10GiB, 1GB): " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "8388608TiB"})
    void refusesSizesBeyondALong(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too large: " + text);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0s, PT0S",
            "500ms, PT0.5S",
            "90s, PT1M30S",
            "10m, PT10M",
            "10M, PT10M",
            "1h, PT1H",
            "7d, PT168H",
            "30 s, PT30S"})
    void parsesDurations(String text, Duration expected) {
        assertThat(Units.parseDuration(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "1w", "1y", "1sec", "1h30m", "PT5S"})
    void refusesMalformedDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration (examples: 500ms, 90s, 10m, 1h, 7d): " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d", "9223372036854775807s"})
    void refusesDurationsBeyondMilliseconds(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too large: " + text);
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT90S, 90s", "PT10M, 10m", "PT2H, 2h", "PT48H, 2d"})
    void formatsDurationsInTheLargestWholeUnitAndParsesThemBack(Duration d, String text) {
        assertThat(Units.formatDuration(d)).isEqualTo(text);
        assertThat(Units.parseDuration(text)).isEqualTo(d);
    }

    @ParameterizedTest(name = "{0} bytes formats as {1}")
    @CsvSource({"0, 0", "1000, 1000", "1024, 1KiB", "1536, 1536", "67108864, 64MiB", "3221225472, 3GiB", "1099511627776, 1TiB"})
    void formatsSizesInTheLargestWholeBinaryUnitAndParsesThemBack(long bytes, String text) {
        assertThat(Units.formatSize(bytes)).isEqualTo(text);
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }
}
