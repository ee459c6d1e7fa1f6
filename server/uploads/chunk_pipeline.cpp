#include "chunk_pipeline.h"

#include <cstring>

namespace hoist {

ChunkPipeline::ChunkPipeline(PipelineWorkers& workers, BlockStock& stock, ChunkWriter& writer,
                             Sha256State fileHash, std::optional<DigestAlgorithm> chunkDigest)
    : m_workers(workers), m_stock(stock), m_writer(writer), m_fileHash(fileHash) {
    if (chunkDigest)
        m_chunkHash.emplace(*chunkDigest);
    m_block = m_stock.take(kBlockSize);
}

ChunkPipeline::~ChunkPipeline() {
    {
        std::unique_lock lock(m_mutex);
        m_abandoned = true;
        m_changed.wait(lock, [this] { return !m_draining; });
    }
    m_stock.give(std::move(m_block));
    for (auto& block : m_queue)
        m_stock.give(std::move(block));
    for (auto& block : m_spare)
        m_stock.give(std::move(block));
}

bool ChunkPipeline::feed(const char* data, std::size_t size) {
    while (size > 0) {
        const std::size_t take = std::min(size, kBlockSize - m_block.size());
        m_block.insert(m_block.end(), data, data + take);
        data += take;
        size -= take;
        if (m_block.size() == kBlockSize)
            submit();
    }
    std::lock_guard lock(m_mutex);
    return !m_failed;
}

void ChunkPipeline::submit() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_queue.size() < kMaxQueued || m_failed; });
    m_queue.push_back(std::move(m_block));
    if (!m_draining) {
        m_draining = true;
        m_workers.post([this] { drain(); });
    }
    if (!m_spare.empty()) {
        m_block = std::move(m_spare.back());
        m_spare.pop_back();
        m_block.clear();
    } else {
        lock.unlock();
        m_block = m_stock.take(kBlockSize);
        lock.lock();
    }
    lock.unlock();
    m_changed.notify_all();
}

void ChunkPipeline::drain() {
    std::unique_lock lock(m_mutex);
    while (!m_queue.empty()) {
        std::vector<char> block = std::move(m_queue.front());
        m_queue.pop_front();
        const bool skip = m_failed || m_abandoned;
        lock.unlock();
        m_changed.notify_all();
        if (!skip) {
            const std::span<const char> bytes(block.data(), block.size());
            auto written = m_writer.append(bytes);
            m_fileHash.update(bytes);
            if (m_chunkHash)
                m_chunkHash->update(bytes);
            if (!written) {
                lock.lock();
                m_failed = true;
                m_result = std::move(written);
                lock.unlock();
                m_changed.notify_all();
            }
        }
        lock.lock();
        m_spare.push_back(std::move(block));
    }
    m_draining = false;
    // Under the lock: once it is released, finish() or the destructor may return and
    // this pipeline be gone.
    m_changed.notify_all();
}

ChunkPipeline::Outcome ChunkPipeline::finish() {
    if (!m_block.empty())
        submit();
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_draining; });
    return Outcome{m_result, m_fileHash, m_chunkHash ? m_chunkHash->hexDigest() : std::string()};
}

} // namespace hoist
