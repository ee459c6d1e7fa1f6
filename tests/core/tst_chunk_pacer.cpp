#include "chunk_pacer.h"

#include <QTest>

using namespace hoist;
using namespace std::chrono_literals;

namespace {

using Clock = ChunkPacer::Clock;
const Clock::time_point t0 = Clock::time_point{} + 1h;

} // namespace

class TestChunkPacer final : public QObject {
    Q_OBJECT

  private slots:
    void nothingWaitsBeforeAFirstAnswer() {
        ChunkPacer pacer;
        for (qint64 offset = 0; offset < 4; ++offset) {
            QCOMPARE(pacer.delay(4, t0), Clock::duration::zero());
            pacer.started(offset, t0);
        }
    }
    void answersTogetherRestartApart() {
        // Four chunks started at once all answered 800 ms later: the restarts are held
        // 100 ms apart (half the spacing of an even rotation, 800 / 4 / 2).
        ChunkPacer pacer;
        for (qint64 offset = 0; offset < 4; ++offset)
            pacer.started(offset, t0);
        for (qint64 offset = 0; offset < 4; ++offset)
            pacer.acknowledged(offset, t0 + 800ms);
        const Clock::time_point now = t0 + 800ms;
        QCOMPARE(pacer.delay(4, now), Clock::duration::zero()); // last start long ago
        pacer.started(4, now);
        QCOMPARE(pacer.delay(4, now), Clock::duration(100ms));
        QCOMPARE(pacer.delay(4, now + 60ms), Clock::duration(40ms));
        QCOMPARE(pacer.delay(4, now + 100ms), Clock::duration::zero());
        // A larger window rotates faster: 800 / 8 / 2.
        QCOMPARE(pacer.delay(8, now), Clock::duration(50ms));
    }
    void aWindowOfOneNeverWaits() {
        ChunkPacer pacer;
        pacer.started(0, t0);
        pacer.acknowledged(0, t0 + 1s);
        pacer.started(1, t0 + 1s);
        QCOMPARE(pacer.delay(1, t0 + 1s), Clock::duration::zero());
    }
    void theMeanFollowsTheLinkByQuarters() {
        ChunkPacer pacer;
        pacer.started(0, t0);
        pacer.acknowledged(0, t0 + 400ms); // mean 400
        pacer.started(1, t0 + 400ms);
        pacer.acknowledged(1, t0 + 2000ms); // took 1600: mean (3 × 400 + 1600) / 4 = 700
        pacer.started(2, t0 + 2000ms);
        QCOMPARE(pacer.delay(2, t0 + 2000ms), Clock::duration(175ms)); // 700 / 2 / 2
    }
    void droppedChunksTeachNothing() {
        // A failed chunk's time (a timeout, a cut connection) is not the link's.
        ChunkPacer pacer;
        pacer.started(0, t0);
        pacer.started(1, t0);
        pacer.acknowledged(0, t0 + 400ms);
        pacer.dropped(1);
        pacer.acknowledged(1, t0 + 60s); // an answer for a chunk no longer tracked
        pacer.started(2, t0 + 60s);
        QCOMPARE(pacer.delay(2, t0 + 60s), Clock::duration(100ms)); // 400 / 2 / 2
    }
};

QTEST_GUILESS_MAIN(TestChunkPacer)
#include "tst_chunk_pacer.moc"
