#include "chunk_reader.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using hoist::ChunkReader;

namespace {

QByteArray randomBytes(qint64 size) {
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (char& byte : bytes)
        byte = static_cast<char>(generator.bounded(256));
    return bytes;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// A file in `dir` holding `bytes`.
QString fileWith(const QTemporaryDir& dir, const QByteArray& bytes) {
    const QString path = dir.filePath(QStringLiteral("file.bin"));
    writeFile(path, bytes);
    return path;
}

QByteArray take(QFuture<tl::expected<QByteArray, QString>> future) {
    future.waitForFinished();
    const auto bytes = future.result();
    return bytes ? *bytes : QByteArray("error: ") + bytes.error().toUtf8();
}

} // namespace

class TestChunkReader final : public QObject {
    Q_OBJECT

  private slots:
    void everyChunkMatchesTheFileWithReadAhead() {
        QTemporaryDir dir;
        const QByteArray content = randomBytes(10 * 1000 + 7);
        const QString path = fileWith(dir, content);
        ChunkReader reader(path);
        const qint64 chunk = 1000;
        QByteArray joined;
        for (qint64 offset = 0; offset < content.size(); offset += chunk) {
            const qint64 length = std::min<qint64>(chunk, content.size() - offset);
            joined += take(reader.read(offset, length));
            reader.readAhead(offset + length,
                             std::min<qint64>(chunk, content.size() - offset - length));
        }
        QCOMPARE(joined, content);
    }
    void theNextChunkIsReadWhileTheCurrentOneIsSent() {
        QTemporaryDir dir;
        const QByteArray before = randomBytes(4096);
        const QString path = fileWith(dir, before);
        ChunkReader reader(path);
        QCOMPARE(take(reader.read(0, 2048)), before.first(2048));
        reader.readAhead(2048, 2048);
        // Bytes already read ahead are what the next read() answers: proof that the
        // read happened before it was asked for, not when it was.
        QTest::qWait(200);
        writeFile(path, QByteArray(4096, 'x'));
        QCOMPARE(take(reader.read(2048, 2048)), before.sliced(2048));
    }
    void aReadOfAnotherRangeIgnoresTheReadAhead() {
        QTemporaryDir dir;
        const QByteArray content = randomBytes(4096);
        const QString path = fileWith(dir, content);
        ChunkReader reader(path);
        reader.readAhead(2048, 2048);
        QCOMPARE(take(reader.read(1024, 2048)), content.sliced(1024, 2048));
        // Used up by the mismatch: a later read of its range reads afresh.
        writeFile(path, QByteArray(4096, 'x'));
        QCOMPARE(take(reader.read(2048, 2048)), QByteArray(2048, 'x'));
    }
    void aShortFileIsAnError() {
        QTemporaryDir dir;
        const QString path = fileWith(dir, randomBytes(100));
        ChunkReader reader(path);
        reader.readAhead(50, 100);
        QVERIFY(take(reader.read(50, 100)).startsWith("error: "));
    }
};

QTEST_GUILESS_MAIN(TestChunkReader)
#include "tst_chunk_reader.moc"
