package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyIdTest {

    @Test
    void bytesAreReadLittleEndianAndPrintedAsMinisignDoes() {
        byte[] bytes = {(byte) 0x85, 0x23, 0x2B, (byte) 0xAF, 0x2D, (byte) 0xCD, (byte) 0xA7, 0x3B};

        KeyId id = KeyId.fromBytes(bytes, 0);

        assertThat(id).hasToString("3BA7CD2DAF2B2385");
        byte[] written = new byte[8];
        id.writeBytes(written, 0);
        assertThat(written).isEqualTo(bytes);
    }

    @Test
    void smallIdsAreZeroPaddedToSixteenDigits() {
        assertThat(new KeyId(0xABL)).hasToString("00000000000000AB");
    }

    @Test
    void idsWithTheTopBitSetPrintUnsigned() {
        assertThat(new KeyId(-1L)).hasToString("FFFFFFFFFFFFFFFF");
        assertThat(KeyId.parseHex("FFFFFFFFFFFFFFFF")).isEqualTo(new KeyId(-1L));
    }

    @Test
    void parseHexAcceptsEitherCaseAndUnpaddedIds() {
        assertThat(KeyId.parseHex("3ba7cd2daf2b2385")).isEqualTo(KeyId.parseHex("3BA7CD2DAF2B2385"));
        assertThat(KeyId.parseHex("ab")).isEqualTo(new KeyId(0xAB));
    }

    @Test
    void parseHexRefusesNonHexAndOverlongInput() {
        assertThatThrownBy(() -> KeyId.parseHex("3BA7CD2DAF2B238G"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id must be 1 to 16 hexadecimal digits: 3BA7CD2DAF2B238G");
        assertThatThrownBy(() -> KeyId.parseHex("13BA7CD2DAF2B2385")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyId.parseHex("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyId.parseHex("+1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyId.parseHex("\uFF11")).isInstanceOf(IllegalArgumentException.class);
    }
}
