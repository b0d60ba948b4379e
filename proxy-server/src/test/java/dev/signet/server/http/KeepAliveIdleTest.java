package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepAliveIdleTest {

    private static final long IDLE = 60_000;

    @ParameterizedTest(name = "unacked={0} sinceData={1}ms sinceAck={2}ms backoff={3}: still receiving {4}")
    @CsvSource({
            // Segments in flight: the client has not acknowledged all of the response yet.
            "3, 90000, 90000, 0, true",
            // The kernel sent data within the idle period: a slow client is draining the send buffer.
            "0, 1200, 90000, 0, true",
            // All data sent, the client acknowledges as it reads its receive buffer (window updates).
            "0, 70000, 15000, 0, true",
            // Quiet on every count for a whole period: idle.
            "0, 70000, 65000, 0, false",
            // Acknowledgements of zero-window probes only: a client that stopped reading is not receiving.
            "0, 70000, 500, 4, false",
            // Exactly one idle period ago is a whole period of silence.
            "0, 60000, 60000, 0, false",
    })
    void decidesOnTheKernelsView(long unacked, long sinceData, long sinceAck, int backoff, boolean expected) {
        assertThat(KeepAliveIdle.stillReceiving(unacked, sinceData, sinceAck, backoff, IDLE)).isEqualTo(expected);
    }
}
