package io.echowall.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResidentMemoryTest {
    @Test
    void readsVmRssFromAStatusFile() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t   123456 kB\nThreads:\t42\n";
        assertThat(ResidentMemory.parseVmRss(status)).isEqualTo(123_456);
    }

    @Test
    void readsThisProcess() {
        assertThat(ResidentMemory.kib(ProcessHandle.current().pid())).isPositive();
    }

    @Test
    void namesAMissingProcess() {
        assertThatThrownBy(() -> ResidentMemory.kib(Integer.MAX_VALUE)).isInstanceOf(BenchException.class)
                .hasMessageContaining("no such process");
    }
}
