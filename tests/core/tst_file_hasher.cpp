#include "chunk_reader.h"
#include "file_hasher.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <memory>
#include <vector>

using namespace hoist;

class TestFileHasher final : public QObject {
    Q_OBJECT

  private slots:
    void hashesWithSha256() {
        QTemporaryDir dir;
        const QString path = dir.filePath("abc");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("abc");
        file.close();
        auto hashing = hashFile(path, std::make_shared<HashProgress>());
        hashing.waitForFinished();
        QCOMPARE(
            hashing.result().value(), // FIPS 180-2, appendix B.1
            QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
    void chunkReadsDoNotWaitForHashes() {
        // As many files hashed at once as Qt's global pool has threads: a chunk read
        // (an upload going on while its file is hashed) still completes while every
        // hash is running.
        QTemporaryDir dir;
        const QString path = dir.filePath("sparse");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(qint64{64} << 30)); // minutes to hash: ends only when cancelled
        file.close();
        std::vector<std::shared_ptr<HashProgress>> progress;
        std::vector<QFuture<tl::expected<QString, QString>>> hashes;
        for (int i = 0; i < QThreadPool::globalInstance()->maxThreadCount(); ++i) {
            progress.push_back(std::make_shared<HashProgress>());
            hashes.push_back(hashFile(path, progress.back()));
        }
        QTRY_VERIFY(progress.front()->hashedBytes > 0);
        auto read = readChunk(path, 0, 1 << 20);
        // Not waitForFinished(): it runs a queued task on the waiting thread itself.
        QTRY_VERIFY_WITH_TIMEOUT(read.isFinished(), 30000);
        QCOMPARE(read.result().value().size(), 1 << 20);
        for (std::size_t i = 0; i < hashes.size(); ++i)
            QVERIFY(!hashes[i].isFinished());
        for (const auto& each : progress)
            each->cancelled = true;
        for (auto& hash : hashes) {
            hash.waitForFinished();
            QVERIFY(!hash.result().has_value());
        }
    }
};

QTEST_GUILESS_MAIN(TestFileHasher)
#include "tst_file_hasher.moc"
