package dev.linux4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * cputime_adjust (kernel/sched/cputime.c): the expected values are worked by hand from the
 * Linux function, step by step.
 */
class TaskCputimeTest {
    @Test
    void scalesTheSampledSplitToTheRuntime() {
        TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
        // stime = 30 * 200 / (70 + 30) = 60; utime = 200 - 60.
        assertThat(prev.adjust(70, 30, 200)).containsExactly(140, 60);
    }

    @Test
    void noSystemSamplesMeansAllUser() {
        TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
        assertThat(prev.adjust(0, 0, 50)).containsExactly(50, 0);
        assertThat(new TaskCputime.PrevCputime().adjust(0, 10, 50)).containsExactly(0, 50);
    }

    @Test
    void neitherPartGoesBack() {
        TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
        assertThat(prev.adjust(50, 50, 100)).containsExactly(50, 50);
        // Scaled stime would be 10 * 120 / 100 = 12 < 50: stime stays 50, utime takes the rest.
        assertThat(prev.adjust(90, 10, 120)).containsExactly(70, 50);
        // Scaled stime 90 * 130 / 100 = 117 leaves utime 13 < 70: utime stays 70, stime 60.
        assertThat(prev.adjust(10, 90, 130)).containsExactly(70, 60);
    }

    @Test
    void aRuntimeNotPastThePreviousSumReturnsThePrevious() {
        TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
        prev.adjust(60, 40, 100);
        assertThat(prev.adjust(1, 99, 100)).containsExactly(60, 40);
    }

    @Test
    void largeValuesDoNotOverflow() {
        TaskCputime.PrevCputime prev = new TaskCputime.PrevCputime();
        long day = 86_400_000_000_000L;
        assertThat(prev.adjust(3 * day, day, 4 * day)).containsExactly(3 * day, day);
    }

    @Test
    void theCallingThreadsClockStartsAtZeroAndFreezesWhenStopped() {
        TaskCputime c = new TaskCputime();
        assertThat(c.runtime()).isZero(); // not started: no time
        c.start();
        long spin = 0;
        for (long i = 0; c.runtime() < 5_000_000L; i++) {
            spin += i;
        }
        assertThat(spin).isNotNegative();
        long[] sample = c.sample(true);
        assertThat(sample[0]).isBetween(0L, sample[1]);
        c.stop();
        long frozen = c.runtime();
        for (long i = 0; i < 1_000_000; i++) {
            spin += i;
        }
        assertThat(c.runtime()).isEqualTo(frozen);
        long[] adjusted = c.adjusted();
        assertThat(adjusted[0] + adjusted[1]).isEqualTo(frozen);
    }
}
