#include "chunk_window.h"

#include <QTest>

using namespace hoist;

namespace {

constexpr qint64 kChunk = 100;

// The offsets of every chunk the window hands out now.
QList<qint64> takeAll(ChunkWindow& window) {
    QList<qint64> offsets;
    while (const auto chunk = window.take())
        offsets.append(chunk->offset);
    return offsets;
}

} // namespace

class TestChunkWindow final : public QObject {
    Q_OBJECT

  private slots:
    void sendsInOrderUpToTheWindow() {
        ChunkWindow window(10 * kChunk, kChunk, 8, 4);
        QCOMPARE(takeAll(window), (QList<qint64>{0, 100, 200, 300}));
        QCOMPARE(window.inFlight(), 4);
    }
    void aSequentialSessionSendsOneChunkAtATime() {
        ChunkWindow window(3 * kChunk, kChunk, 0, 4); // no grant: the sequential contract
        QCOMPARE(takeAll(window), QList<qint64>{0});
        window.acknowledged(0, kChunk, {});
        QCOMPARE(takeAll(window), QList<qint64>{100});
    }
    void staysWithinTheServersWindow() {
        // Granted 2: nothing beyond prefix + 2 chunks, even with a chunk free to send.
        ChunkWindow window(10 * kChunk, kChunk, 2, 4);
        QCOMPARE(takeAll(window), (QList<qint64>{0, 100}));
        window.acknowledged(100, 0, {1});
        QCOMPARE(takeAll(window), QList<qint64>{});
        window.acknowledged(0, 2 * kChunk, {});
        QCOMPARE(takeAll(window), (QList<qint64>{200, 300}));
    }
    void outOfOrderAcksCountOnlyConfirmedBytes() {
        ChunkWindow window(10 * kChunk, kChunk, 4, 4);
        takeAll(window);
        window.acknowledged(200, 0, {2});
        QCOMPARE(window.confirmedBytes(), kChunk);
        QCOMPARE(window.prefix(), 0);
        window.acknowledged(300, 0, {2, 3});
        QCOMPARE(window.confirmedBytes(), 2 * kChunk);
        window.acknowledged(0, kChunk, {2, 3});
        QCOMPARE(window.confirmedBytes(), 3 * kChunk);
        // Chunk 1 is still in flight: the server's window (prefix + 4) allows 4 and 5.
        QCOMPARE(takeAll(window), (QList<qint64>{400}));
        window.acknowledged(100, 4 * kChunk, {});
        QCOMPARE(window.prefix(), 4 * kChunk);
        QCOMPARE(window.confirmedBytes(), 4 * kChunk);
    }
    void progressNeverGoesBackwards() {
        ChunkWindow window(10 * kChunk, kChunk, 4, 4);
        takeAll(window);
        window.acknowledged(0, kChunk, {});
        window.acknowledged(100, 4 * kChunk, {}); // the server holds 0–3
        const qint64 confirmed = window.confirmedBytes();
        QCOMPARE(confirmed, 4 * kChunk);
        // An older answer, sent before the prefix moved, arrives last.
        window.acknowledged(200, kChunk, {2});
        QCOMPARE(window.confirmedBytes(), confirmed);
        QCOMPARE(window.prefix(), 4 * kChunk);
    }
    void storedChunksJoinThePrefix() {
        ChunkWindow window(6 * kChunk, kChunk, 4, 4);
        QVERIFY(window.adopt(kChunk, {1, 2, 4}));
        QCOMPARE(window.prefix(), 3 * kChunk);
        QCOMPARE(window.confirmedBytes(), 4 * kChunk);
        QCOMPARE(takeAll(window), (QList<qint64>{300, 500}));
    }
    void resumesWithoutResendingStoredChunks() {
        ChunkWindow window(10 * kChunk, kChunk, 8, 4);
        QVERIFY(window.adopt(2 * kChunk, {4, 5}));
        QCOMPARE(window.confirmedBytes(), 4 * kChunk);
        QCOMPARE(takeAll(window), (QList<qint64>{200, 300, 600, 700}));
    }
    void ignoresIndexesBeyondTheFile() {
        ChunkWindow window(2 * kChunk + 50, kChunk, 4, 4);
        QVERIFY(!window.adopt(0, {3, 7, -1}));
        QVERIFY(window.adopt(0, {2}));
        QCOMPARE(window.confirmedBytes(), 50); // the short last chunk
        QCOMPARE(takeAll(window), (QList<qint64>{0, 100}));
        window.acknowledged(0, kChunk, {2});
        window.acknowledged(100, 2 * kChunk + 50, {});
        QVERIFY(window.finished());
    }
    void aConflictNamingTheChunkStoredSettlesIt() {
        ChunkWindow window(10 * kChunk, kChunk, 4, 4);
        takeAll(window);
        // The answer to chunk 2 was lost; it was sent again and meets a 409.
        QCOMPARE(window.mismatched(200, 0, {2}), ChunkWindow::Mismatch::Stored);
        QCOMPARE(window.confirmedBytes(), kChunk);
        QCOMPARE(window.inFlight(), 3);
        QCOMPARE(takeAll(window), (QList<qint64>{}));
    }
    void aConflictThatMovedTheServerResends() {
        ChunkWindow window(10 * kChunk, kChunk, 4, 4);
        takeAll(window);
        QCOMPARE(window.mismatched(300, kChunk, {}), ChunkWindow::Mismatch::Resend);
        QCOMPARE(takeAll(window), (QList<qint64>{300}));
    }
    void aConflictThatTaughtNothingIsRefused() {
        ChunkWindow window(10 * kChunk, kChunk, 4, 4);
        takeAll(window);
        QCOMPARE(window.mismatched(100, 0, {}), ChunkWindow::Mismatch::Refused);
    }
    void aSequentialConflictAdoptsTheServersOffset() {
        ChunkWindow window(10 * kChunk, kChunk, 1, 1);
        window.adopt(5 * kChunk, {});
        takeAll(window);
        // A tus server that lost a partial chunk: its offset is the truth, even lower.
        QCOMPARE(window.mismatched(500, 250, {}), ChunkWindow::Mismatch::Resend);
        QCOMPARE(window.confirmedBytes(), 250);
        QCOMPARE(takeAll(window), QList<qint64>{250});
    }
    void theWindowHalvesOncePerLossAndGrowsBack() {
        ChunkWindow window(100 * kChunk, kChunk, 8, 8);
        QCOMPARE(takeAll(window).size(), 8);
        window.failed(0);
        QCOMPARE(window.window(), 4);
        // The others were sent before the loss: the same event (a server restart).
        window.failed(100);
        window.failed(200);
        QCOMPARE(window.window(), 4);
        for (const qint64 offset : {300, 400, 500, 600, 700})
            window.acknowledged(offset, 0, {});
        QCOMPARE(window.window(), 5); // one more after a window's worth of acks
        // Chunks 3–7 are stored: only the failed ones lie within the server's window.
        QCOMPARE(takeAll(window), (QList<qint64>{0, 100, 200}));
        window.failed(100); // sent after the halving: a new loss
        QCOMPARE(window.window(), 2);
        window.failed(0);
        QCOMPARE(window.window(), 2);
        QCOMPARE(window.inFlight(), 1);
    }
    void theWindowNeverGrowsBeyondItsLimit() {
        ChunkWindow window(100 * kChunk, kChunk, 8, 3);
        for (int round = 0; round < 10; ++round) {
            for (const qint64 offset : takeAll(window))
                window.acknowledged(offset, offset + kChunk, {});
            QCOMPARE(window.window(), 3);
        }
        QCOMPARE(window.prefix(), 30 * kChunk);
    }
    void theWindowShrinksToOneAtLeast() {
        ChunkWindow window(100 * kChunk, kChunk, 2, 2);
        for (int round = 0; round < 4; ++round) {
            for (const qint64 offset : takeAll(window))
                window.failed(offset);
        }
        QCOMPARE(window.window(), 1);
        QCOMPARE(takeAll(window).size(), 1);
    }
    void anEmptyFileIsFinishedAtOnce() {
        ChunkWindow window(0, kChunk, 4, 4);
        QVERIFY(window.finished());
        QVERIFY(!window.take());
    }
};

QTEST_GUILESS_MAIN(TestChunkWindow)
#include "tst_chunk_window.moc"
