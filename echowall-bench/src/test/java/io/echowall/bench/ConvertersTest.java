package io.echowall.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvertersTest {
    private final Converters.ByteSize size = new Converters.ByteSize();
    private final Converters.TimeSpan time = new Converters.TimeSpan();

    @Test
    void sizesUseBinaryMultiples() {
        assertThat(size.convert("0")).isZero();
        assertThat(size.convert("64")).isEqualTo(64);
        assertThat(size.convert("16k")).isEqualTo(16_384);
        assertThat(size.convert("16KiB")).isEqualTo(16_384);
        assertThat(size.convert("1m")).isEqualTo(1 << 20);
        assertThatThrownBy(() -> size.convert("sixty")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> size.convert("4096m")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void durationsTakeUnitsSecondsByDefaultAndIso8601() {
        assertThat(time.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(time.convert("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(time.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(time.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(time.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(time.convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> time.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
