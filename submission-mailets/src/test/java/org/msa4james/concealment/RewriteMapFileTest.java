package org.msa4james.concealment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewriteMapFileTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Instant START = Instant.parse("2026-11-28T18:00:00Z");
    private static final String FIRST = "jru@corp.example.test J.Random.User@example.test\n";
    private static final String SECOND = "jru@corp.example.test Jay.User@example.test\n@squeaky.sales.example.test @example.test\n";

    @TempDir
    Path directory;

    private Path file;
    private MutableClock clock;
    private RecordingListener listener;
    /** Modification times written by the tests, one step apart, so that no change goes unseen. */
    private Instant fileTime;

    @BeforeEach
    void setUp() {
        file = directory.resolve("address-rewrite.map");
        clock = new MutableClock(START);
        listener = new RecordingListener();
        fileTime = Instant.parse("2026-11-28T17:00:00Z");
    }

    private void write(String content) throws IOException {
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        fileTime = fileTime.plusSeconds(1);
        Files.setLastModifiedTime(file, FileTime.from(fileTime));
    }

    private RewriteMapFile load() throws RewriteMapException {
        return RewriteMapFile.load(file, INTERVAL, clock, listener);
    }

    private static String jru(RewriteMap map) {
        return map.rewriteAddress("jru", "corp.example.test").orElse("-");
    }

    @Nested
    class Start {
        @Test
        void loadShouldReadTheFile() throws Exception {
            write(FIRST);

            RewriteMapFile mapFile = load();

            assertThat(mapFile.file()).isEqualTo(file.toAbsolutePath());
            assertThat(jru(mapFile.current())).isEqualTo("J.Random.User@example.test");
            assertThat(listener.events).isEmpty();
        }

        @Test
        void loadShouldFailOnALineWithAnErrorNamingFileAndLine() throws Exception {
            write("# map\n\njru@corp.example.test J.Random.User@example\n");

            assertThatThrownBy(RewriteMapFileTest.this::load)
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(file.toAbsolutePath() + ", line 3: the domain 'example' of the replacement 'J.Random.User@example' is not fully qualified");
        }

        @Test
        void loadShouldFailWhenTheFileIsMissing() {
            assertThatThrownBy(RewriteMapFileTest.this::load)
                .isInstanceOf(RewriteMapException.class)
                .hasMessage(file.toAbsolutePath() + ": no such file");
        }

        @Test
        void loadShouldFailOnADirectory() {
            assertThatThrownBy(() -> RewriteMapFile.load(directory, INTERVAL, clock, listener))
                .isInstanceOf(RewriteMapException.class)
                .hasMessageStartingWith(directory.toAbsolutePath() + ": cannot be read: java.io.IOException: Is a directory");
        }
    }

    @Nested
    class Reload {
        @Test
        void currentShouldApplyAChangedFileOnceTheIntervalHasPassed() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();

            write(SECOND);
            clock.advance(INTERVAL);

            RewriteMap map = mapFile.current();
            assertThat(jru(map)).isEqualTo("Jay.User@example.test");
            assertThat(map.rewriteAddress("bob", "squeaky.sales.example.test")).contains("bob@example.test");
            assertThat(listener.events).containsExactly("reloaded " + file.toAbsolutePath() + ": 2 rules");
        }

        @Test
        void currentShouldNotLookAtTheFileBeforeTheIntervalHasPassed() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();

            write(SECOND);
            clock.advance(INTERVAL.minusMillis(1));

            assertThat(jru(mapFile.current())).isEqualTo("J.Random.User@example.test");
            clock.advance(Duration.ofMillis(1));
            assertThat(jru(mapFile.current())).isEqualTo("Jay.User@example.test");
        }

        @Test
        void currentShouldSeeAChangeOfSizeAlone() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();
            FileTime unchanged = Files.getLastModifiedTime(file);

            Files.write(file, SECOND.getBytes(StandardCharsets.UTF_8));
            Files.setLastModifiedTime(file, unchanged);
            clock.advance(INTERVAL);

            assertThat(jru(mapFile.current())).isEqualTo("Jay.User@example.test");
        }

        @Test
        void currentShouldNotReadAnUnchangedFileAgain() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();
            RewriteMap first = mapFile.current();

            clock.advance(INTERVAL.multipliedBy(3));

            assertThat(mapFile.current()).isSameAs(first);
            assertThat(listener.events).isEmpty();
        }

        @Test
        void aBrokenEditShouldKeepThePreviousMapAndBeReportedOnce() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();

            write(FIRST + "jru@corp.example.test Another@example.test\n");
            clock.advance(INTERVAL);
            RewriteMap afterBrokenEdit = mapFile.current();
            clock.advance(INTERVAL);
            RewriteMap later = mapFile.current();

            assertThat(jru(afterBrokenEdit)).isEqualTo("J.Random.User@example.test");
            assertThat(jru(later)).isEqualTo("J.Random.User@example.test");
            assertThat(listener.events).containsExactly("failed " + file.toAbsolutePath()
                + ", line 2: duplicate rule for 'jru@corp.example.test' (already on line 1); kept 1 rules");
        }

        @Test
        void aCorrectedEditAfterABrokenOneShouldApply() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();
            write("jru@corp.example.test @example.test\n");
            clock.advance(INTERVAL);
            mapFile.current();

            write(SECOND);
            clock.advance(INTERVAL);

            assertThat(jru(mapFile.current())).isEqualTo("Jay.User@example.test");
            assertThat(listener.events).containsExactly(
                "failed " + file.toAbsolutePath() + ", line 1: the replacement of an address must be an address, not '@example.test'; kept 1 rules",
                "reloaded " + file.toAbsolutePath() + ": 2 rules");
        }

        @Test
        void aDeletedFileShouldKeepThePreviousMapUntilItComesBack() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();

            Files.delete(file);
            clock.advance(INTERVAL);
            RewriteMap whileDeleted = mapFile.current();
            clock.advance(INTERVAL);
            mapFile.current();
            write(SECOND);
            clock.advance(INTERVAL);

            assertThat(jru(whileDeleted)).isEqualTo("J.Random.User@example.test");
            assertThat(jru(mapFile.current())).isEqualTo("Jay.User@example.test");
            assertThat(listener.events).containsExactly(
                "failed " + file.toAbsolutePath() + ": no such file; kept 1 rules",
                "reloaded " + file.toAbsolutePath() + ": 2 rules");
        }

        @Test
        void anEditThatEmptiesTheFileShouldApply() throws Exception {
            write(FIRST);
            RewriteMapFile mapFile = load();

            write("# all rules removed\n");
            clock.advance(INTERVAL);

            assertThat(mapFile.current().isEmpty()).isTrue();
        }
    }

    private static final class RecordingListener implements RewriteMapFile.Listener {
        private final List<String> events = new ArrayList<>();

        @Override
        public void reloaded(Path file, RewriteMap map) {
            events.add("reloaded " + file + ": " + map.size() + " rules");
        }

        @Override
        public void reloadFailed(Path file, RewriteMapException problem, RewriteMap kept) {
            events.add("failed " + problem.getMessage() + "; kept " + kept.size() + " rules");
        }
    }
}
