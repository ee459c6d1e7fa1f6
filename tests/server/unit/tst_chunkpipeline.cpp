// The chunk pipeline between the request thread and the backend: bytes reach the
// writer in order and are hashed on the way, and a writer failure stops the feed;
// pipelines share the server's few workers without mixing their bytes.
#include "chunk_pipeline.h"
#include "fake_storage_backend.h"
#include "test_bytes.h"

#include <QTest>

using namespace hoist;
using hoist::test::FakeStorageBackend;
using hoist::test::patternBytes;
using hoist::test::spanOf;
using Operation = FakeStorageBackend::Operation;

namespace {
constexpr std::int64_t kMiB = 1024 * 1024;
}

class TestChunkPipeline final : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void oddPiecesArriveInOrderAndHashed();
    void chunkHashOnlyWhenAskedFor();
    void emptyChunk();
    void writerFailureStopsTheFeed();
    void pipelinesShareOneWorker();
    void abandonedPipelineWritesNoMore();

  private:
    std::unique_ptr<ChunkWriter> openChunk(std::int64_t length);

    std::unique_ptr<FakeStorageBackend> m_backend;
    BlockStock m_blocks{64};
    PipelineWorkers m_workers{2};
    Session m_session;
};

void TestChunkPipeline::init() {
    m_backend = std::make_unique<FakeStorageBackend>();
    m_session = Session{};
    m_session.id = "s1";
    m_session.size = 16 * kMiB;
    m_session.chunkSize = 8 * kMiB;
    m_session.staging = m_backend->begin(m_session).value();
}

std::unique_ptr<ChunkWriter> TestChunkPipeline::openChunk(std::int64_t length) {
    auto writer = m_backend->openChunk(m_session, 0, length);
    if (!writer)
        qFatal("openChunk failed");
    return std::move(*writer);
}

void TestChunkPipeline::oddPiecesArriveInOrderAndHashed() {
    // The file hash carries on from the bytes of earlier chunks.
    const std::string earlier = patternBytes(1000, 7);
    Sha256State fileHash;
    fileHash.update(spanOf(earlier));

    const std::string data = patternBytes(static_cast<std::size_t>(3 * kMiB + 12345));
    auto writer = openChunk(static_cast<std::int64_t>(data.size()));
    ChunkPipeline pipeline(m_workers, m_blocks, *writer, fileHash, DigestAlgorithm::Sha256);
    const std::size_t pieces[] = {1, 7, 4093, 1024 * 1024 + 3, 65536, 999999};
    std::size_t at = 0;
    for (int i = 0; at < data.size(); ++i) {
        const std::size_t take = std::min(pieces[i % std::size(pieces)], data.size() - at);
        QVERIFY(pipeline.feed(data.data() + at, take));
        at += take;
    }
    const ChunkPipeline::Outcome outcome = pipeline.finish();
    QVERIFY(outcome.written);
    QCOMPARE(outcome.chunkHex, Sha256State::hexOf(spanOf(data)));
    QCOMPARE(outcome.fileHash.hexDigest(), Sha256State::hexOf(spanOf(earlier + data)));
    QVERIFY(writer->commit());
    QCOMPARE(m_backend->staged(m_session.staging.key), data);
}

void TestChunkPipeline::chunkHashOnlyWhenAskedFor() {
    const std::string data = patternBytes(5000);
    auto writer = openChunk(static_cast<std::int64_t>(data.size()));
    ChunkPipeline pipeline(m_workers, m_blocks, *writer, Sha256State(), std::nullopt);
    QVERIFY(pipeline.feed(data.data(), data.size()));
    const ChunkPipeline::Outcome outcome = pipeline.finish();
    QVERIFY(outcome.written);
    QVERIFY(outcome.chunkHex.empty());
    QCOMPARE(outcome.fileHash.hexDigest(), Sha256State::hexOf(spanOf(data)));
}

void TestChunkPipeline::emptyChunk() {
    auto writer = openChunk(0);
    ChunkPipeline pipeline(m_workers, m_blocks, *writer, Sha256State(), DigestAlgorithm::Sha256);
    const ChunkPipeline::Outcome outcome = pipeline.finish();
    QVERIFY(outcome.written);
    QCOMPARE(outcome.chunkHex, Sha256State().hexDigest());
    QCOMPARE(m_backend->calls(Operation::Append), 0);
}

void TestChunkPipeline::writerFailureStopsTheFeed() {
    m_backend->failAt(Operation::Append, 2, StorageError::Kind::Unavailable);
    const std::string block = patternBytes(static_cast<std::size_t>(kMiB));
    auto writer = openChunk(8 * kMiB);
    ChunkPipeline pipeline(m_workers, m_blocks, *writer, Sha256State(), DigestAlgorithm::Sha256);
    // The worker is a few blocks behind at most, so the feed learns of the failure
    // within the chunk's eight blocks.
    int fed = 0;
    while (fed < 8 && pipeline.feed(block.data(), block.size()))
        ++fed;
    QVERIFY2(fed < 8, "feed() never reported the failed write");
    const ChunkPipeline::Outcome outcome = pipeline.finish();
    QVERIFY(!outcome.written);
    QCOMPARE(outcome.written.error().kind, StorageError::Kind::Unavailable);
    // Nothing is written after the failure.
    QCOMPARE(m_backend->calls(Operation::Append), 2);
}

void TestChunkPipeline::pipelinesShareOneWorker() {
    // More pipelines than workers, fed in turns from one thread as request threads
    // would: each queue fills while the single worker serves the others, and the
    // blocks run short (eight held while filling, four for the queues), so a pipeline
    // waits for blocks that the worker gives back from the others.
    PipelineWorkers one(1);
    BlockStock few(BlockStock::kIdleBlocks);
    constexpr int kPipelines = 8;
    std::vector<Session> sessions(kPipelines);
    std::vector<std::string> data;
    std::vector<std::unique_ptr<ChunkWriter>> writers;
    std::vector<std::unique_ptr<ChunkPipeline>> pipelines;
    for (int i = 0; i < kPipelines; ++i) {
        sessions[i] = m_session;
        sessions[i].id = "s" + std::to_string(i + 2);
        sessions[i].staging = m_backend->begin(sessions[i]).value();
        data.push_back(patternBytes(static_cast<std::size_t>(3 * kMiB + 1000 * i), i));
        writers.push_back(std::move(
            m_backend->openChunk(sessions[i], 0, static_cast<std::int64_t>(data[i].size()))
                .value()));
        pipelines.push_back(
            std::make_unique<ChunkPipeline>(one, few, *writers[i], Sha256State(), std::nullopt));
    }
    constexpr std::size_t kPiece = 300 * 1000;
    for (std::size_t at = 0; at < 4 * kMiB; at += kPiece)
        for (int i = 0; i < kPipelines; ++i)
            if (at < data[i].size())
                QVERIFY(
                    pipelines[i]->feed(data[i].data() + at, std::min(kPiece, data[i].size() - at)));
    for (int i = 0; i < kPipelines; ++i) {
        const ChunkPipeline::Outcome outcome = pipelines[i]->finish();
        QVERIFY(outcome.written);
        QCOMPARE(outcome.fileHash.hexDigest(), Sha256State::hexOf(spanOf(data[i])));
        QVERIFY(writers[i]->commit());
        QCOMPARE(m_backend->staged(sessions[i].staging.key), data[i]);
    }
}

void TestChunkPipeline::abandonedPipelineWritesNoMore() {
    // A request that fails mid-chunk destroys its pipeline without finish(): whatever
    // is still queued is dropped, and no worker touches the pipeline afterwards.
    const std::string data = patternBytes(static_cast<std::size_t>(6 * kMiB));
    auto writer = openChunk(8 * kMiB);
    {
        ChunkPipeline pipeline(m_workers, m_blocks, *writer, Sha256State(), std::nullopt);
        QVERIFY(pipeline.feed(data.data(), data.size()));
    }
    QVERIFY(m_backend->calls(Operation::Append) <= 6);
    QVERIFY(m_backend->staged(m_session.staging.key).empty());
}

QTEST_GUILESS_MAIN(TestChunkPipeline)
#include "tst_chunkpipeline.moc"
