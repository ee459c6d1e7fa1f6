// The local-disk StorageBackend on a temporary data directory, where the disk shows
// what the seam's contract (tests/server/contract) cannot: its folders, staging files
// holding chunks at their offset and cut back when a chunk is not committed, and
// assembly that cuts bytes past the size; page-aligned pieces (written with O_DIRECT)
// and unaligned ones mixed in one file read back as written, on disk and on tmpfs.
#include "disk_backend.h"
#include "test_bytes.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <memory>
#include <sys/mount.h>

using namespace hoist;
using hoist::test::patternBytes;
using hoist::test::spanOf;

namespace {
constexpr std::int64_t kChunk = 16;
const std::string kData = patternBytes(40); // chunks of 16, 16 and 8 bytes

Session sessionNamed(const std::string& id) {
    Session s;
    s.id = id;
    s.userId = "alice";
    s.size = static_cast<std::int64_t>(kData.size());
    s.chunkSize = kChunk;
    return s;
}

std::string chunkOf(std::int64_t index) {
    return kData.substr(static_cast<std::size_t>(index * kChunk), static_cast<std::size_t>(kChunk));
}
} // namespace

class TestDiskBackend final : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void cleanup();
    void openCreatesItsFolders();
    void beginCreatesAnEmptyStaging();
    void committedChunksLandAtTheirOffset();
    void uncommittedChunkLeavesStagingAsItWas();
    void completeCutsBytesPastTheSize();
    void readingPastTheEndIsAnError();
    void describesItself();
    void fullDiskIsNoSpaceAndKeepsCommittedBytes();
    void alignedAndUnalignedPiecesReadBack_data();
    void alignedAndUnalignedPiecesReadBack();

  private:
    QString stagingFile(const Session& session) const;
    QByteArray stagingBytes(const Session& session) const;
    // begin() and every chunk committed, with the offset moved as the store would.
    Session upload(const std::string& id);
    void commitChunk(Session& session, std::int64_t index);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DiskBackend> m_backend;
};

void TestDiskBackend::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto backend = DiskBackend::open(m_dir->filePath("data").toStdString());
    QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
    m_backend = std::move(*backend);
}

void TestDiskBackend::cleanup() {
    m_backend.reset();
    m_dir.reset();
}

QString TestDiskBackend::stagingFile(const Session& session) const {
    return m_dir->filePath("data/staging/" + QString::fromStdString(session.staging.key));
}

QByteArray TestDiskBackend::stagingBytes(const Session& session) const {
    QFile file(stagingFile(session));
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

void TestDiskBackend::commitChunk(Session& session, std::int64_t index) {
    const std::string bytes = chunkOf(index);
    auto writer = m_backend->openChunk(session, index, static_cast<std::int64_t>(bytes.size()));
    QVERIFY(writer);
    // Two appends per chunk: pieces of any size are fine.
    QVERIFY((*writer)->append(spanOf(bytes).first(3)));
    QVERIFY((*writer)->append(spanOf(bytes).subspan(3)));
    const auto receipt = (*writer)->commit();
    QVERIFY(receipt);
    QCOMPARE(receipt->index, index);
    session.uploadedBytes += static_cast<std::int64_t>(bytes.size());
}

Session TestDiskBackend::upload(const std::string& id) {
    Session session = sessionNamed(id);
    const auto staging = m_backend->begin(session);
    if (!staging)
        qFatal("begin failed: %s", staging.error().message.c_str());
    session.staging = *staging;
    for (std::int64_t index = 0; index < session.chunkCount(); ++index)
        commitChunk(session, index);
    return session;
}

void TestDiskBackend::openCreatesItsFolders() {
    QVERIFY(QFileInfo(m_dir->filePath("data/staging")).isDir());
    QVERIFY(QFileInfo(m_dir->filePath("data/objects")).isDir());
    // A data directory that cannot be made is an error that names it.
    QFile blocker(m_dir->filePath("file"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto refused = DiskBackend::open(m_dir->filePath("file/data").toStdString());
    QVERIFY(!refused);
    QVERIFY(refused.error().message.find("file/data") != std::string::npos);
}

void TestDiskBackend::beginCreatesAnEmptyStaging() {
    Session session = sessionNamed("s1");
    const auto staging = m_backend->begin(session);
    QVERIFY(staging);
    QVERIFY(staging->uploadId.empty());
    session.staging = *staging;
    QVERIFY(QFileInfo::exists(stagingFile(session)));
    QCOMPARE(QFileInfo(stagingFile(session)).size(), qint64(0));
    QVERIFY(!m_backend->begin(session)); // never two sessions on one staging
}

void TestDiskBackend::committedChunksLandAtTheirOffset() {
    const Session session = upload("s1");
    QCOMPARE(stagingBytes(session), QByteArray::fromStdString(kData));
}

void TestDiskBackend::uncommittedChunkLeavesStagingAsItWas() {
    Session session = sessionNamed("s1");
    session.staging = m_backend->begin(session).value();
    commitChunk(session, 0);
    {
        auto writer = m_backend->openChunk(session, 1, kChunk).value();
        QVERIFY(writer->append(spanOf(chunkOf(1)).first(10)));
    } // destroyed without commit(): a body cut short
    QCOMPARE(stagingBytes(session), QByteArray::fromStdString(chunkOf(0)));
}

void TestDiskBackend::completeCutsBytesPastTheSize() {
    const Session session = upload("s1");
    QFile file(stagingFile(session));
    QVERIFY(file.open(QIODevice::Append));
    file.write("leftover of a crashed write");
    file.close();
    const auto object = m_backend->complete(session, {});
    QVERIFY(object);
    QCOMPARE(
        QFileInfo(m_dir->filePath("data/objects/" + QString::fromStdString(object->key))).size(),
        qint64(session.size));
}

void TestDiskBackend::readingPastTheEndIsAnError() {
    const Session session = upload("s1");
    const std::string key = m_backend->complete(session, {}).value().key;
    QVERIFY(!m_backend->readObject(key, 30, 20, [](std::span<const char>) { return true; }));
}

void TestDiskBackend::describesItself() {
    QCOMPARE(m_backend->name(), "disk");
    QVERIFY(!m_backend->bucket());
    QVERIFY(!m_backend->presignGet("key", std::chrono::seconds(60)));
}

void TestDiskBackend::fullDiskIsNoSpaceAndKeepsCommittedBytes() {
    // A real ENOSPC needs a small file system: a 2 MiB tmpfs, which needs root.
    QTemporaryDir small;
    QVERIFY(small.isValid());
    const std::string mountPoint = small.path().toStdString();
    if (::mount("tmpfs", mountPoint.c_str(), "tmpfs", 0, "size=2m") != 0)
        QSKIP("cannot mount a small tmpfs here (needs root)");
    {
        auto backend = DiskBackend::open(mountPoint + "/data");
        QVERIFY(backend);
        Session session = sessionNamed("full");
        session.size = 4 * 1024 * 1024;
        session.chunkSize = 1024 * 1024;
        session.staging = (*backend)->begin(session).value();
        const std::string chunk(1024 * 1024, 'x');
        std::int64_t index = 0;
        StorageError failure;
        for (; index < 4; ++index) {
            auto writer = (*backend)->openChunk(session, index, 1024 * 1024);
            QVERIFY(writer);
            auto appended = (*writer)->append(spanOf(chunk));
            if (appended)
                appended = (*writer)->commit().map([](const ChunkReceipt&) {});
            if (!appended) {
                failure = appended.error();
                break;
            }
            session.uploadedBytes += 1024 * 1024;
        }
        QVERIFY2(index < 4, "2 MiB took 4 MiB");
        QCOMPARE(failure.kind, StorageError::Kind::NoSpace);
        // The committed chunks are intact: staging holds at least what was committed.
        QVERIFY((*backend)->verify(session, {}));
        QVERIFY((*backend)->abort(session));
    }
    QCOMPARE(::umount(mountPoint.c_str()), 0);
}

void TestDiskBackend::alignedAndUnalignedPiecesReadBack_data() {
    QTest::addColumn<QString>("parent");
    QTest::newRow("temporary folder") << QString();
    // tmpfs refuses O_DIRECT before Linux 6.6: the writes go through the page cache.
    if (QFileInfo(QStringLiteral("/dev/shm")).isDir())
        QTest::newRow("tmpfs") << QStringLiteral("/dev/shm");
}

void TestDiskBackend::alignedAndUnalignedPiecesReadBack() {
    QFETCH(QString, parent);
    const auto dir = parent.isEmpty() ? std::make_unique<QTemporaryDir>()
                                      : std::make_unique<QTemporaryDir>(parent + "/hoist-XXXXXX");
    QVERIFY(dir->isValid());
    auto backend = DiskBackend::open(dir->filePath("data").toStdString()).value();
    constexpr std::int64_t kMiB = 1024 * 1024;
    Session session = sessionNamed("aligned");
    session.chunkSize = kMiB;
    session.size = 2 * kMiB + 1000;
    session.staging = backend->begin(session).value();
    // Page-aligned memory, as the chunk pipeline's blocks are.
    const std::string data = patternBytes(static_cast<std::size_t>(session.size));
    const std::unique_ptr<char, decltype(&std::free)> aligned(
        static_cast<char*>(std::aligned_alloc(4096, static_cast<std::size_t>(3 * kMiB))),
        &std::free);
    std::copy(data.begin(), data.end(), aligned.get());
    const std::span<const char> all(aligned.get(), data.size());
    // Chunk 0: two aligned halves. Chunk 1: aligned, then a piece of odd length, then
    // the rest at an unaligned offset. Chunk 2: the file's short last piece.
    const std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> pieces{
        {{0, kMiB / 2}, {kMiB / 2, kMiB / 2}},
        {{kMiB, 256 * 1024}, {kMiB + 256 * 1024, 4096 + 100}, {kMiB + 260 * 1024 + 100, 0}},
        {{2 * kMiB, 1000}}};
    for (std::int64_t index = 0; index < 3; ++index) {
        const std::int64_t length = std::min(kMiB, session.size - index * kMiB);
        auto writer = backend->openChunk(session, index, length).value();
        for (auto [offset, size] : pieces[static_cast<std::size_t>(index)]) {
            if (size == 0)
                size = (index + 1) * kMiB - offset;
            QVERIFY(writer->append(
                all.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(size))));
        }
        QVERIFY(writer->commit());
        session.uploadedBytes += length;
    }
    std::string staged;
    QVERIFY(backend->readStaged(session, 0, session.size, [&](std::span<const char> bytes) {
        staged.append(bytes.data(), bytes.size());
        return true;
    }));
    QVERIFY(staged == data);
    const auto object = backend->complete(session, {});
    QVERIFY(object);
    std::string assembled;
    QVERIFY(backend->readObject(object->key, 0, session.size, [&](std::span<const char> bytes) {
        assembled.append(bytes.data(), bytes.size());
        return true;
    }));
    QVERIFY(assembled == data);
}

QTEST_GUILESS_MAIN(TestDiskBackend)
#include "tst_diskbackend.moc"
