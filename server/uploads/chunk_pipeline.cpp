#include "chunk_pipeline.h"

namespace hoist {

ChunkPipeline::ChunkPipeline(PipelineWorkers& workers, BlockStock& stock, ChunkWriter& writer,
                             Sha256State fileHash, std::optional<DigestAlgorithm> chunkDigest)
    : m_workers(workers), m_stock(stock), m_writer(writer), m_fileHash(fileHash) {
    if (chunkDigest)
        m_chunkHash.emplace(*chunkDigest);
    m_block = m_stock.take();
}

ChunkPipeline::~ChunkPipeline() {
    {
        std::unique_lock lock(m_mutex);
        m_abandoned = true;
        m_changed.wait(lock, [this] { return !m_writing && !m_hashing; });
    }
    m_stock.give(std::move(m_block));
    for (auto& block : m_queue)
        m_stock.give(std::move(block));
}

bool ChunkPipeline::feed(const char* data, std::size_t size) {
    while (size > 0) {
        const std::size_t taken = m_block.append(data, size);
        data += taken;
        size -= taken;
        if (m_block.full())
            submit(true);
    }
    std::lock_guard lock(m_mutex);
    return !m_failed;
}

void ChunkPipeline::submit(bool refill) {
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_queue.size() < kMaxQueued || m_failed; });
        m_queue.push_back(std::move(m_block));
        if (!m_writing) {
            m_writing = true;
            m_workers.post([this] { drain(Strand::Write); });
        }
        if (!m_hashing) {
            m_hashing = true;
            m_workers.post([this] { drain(Strand::Hash); });
        }
    }
    // Outside the lock: the stock may make this wait for a block the workers give back.
    if (refill)
        m_block = m_stock.take();
}

void ChunkPipeline::drain(Strand strand) {
    const bool writes = strand == Strand::Write;
    std::size_t& done = writes ? m_written : m_hashed;
    std::unique_lock lock(m_mutex);
    while (done < m_queue.size()) {
        // The block's bytes stay put while the lock is released: only releaseDone()
        // removes blocks, and not before this strand is past them.
        const std::span<const char> bytes = m_queue[done].bytes();
        const bool skip = m_failed || m_abandoned;
        lock.unlock();
        if (!skip && writes) {
            auto written = m_writer.append(bytes);
            if (!written) {
                lock.lock();
                m_failed = true;
                m_result = std::move(written);
                lock.unlock();
            }
        } else if (!skip) {
            m_fileHash.update(bytes);
            if (m_chunkHash)
                m_chunkHash->update(bytes);
        }
        lock.lock();
        ++done;
        releaseDone();
        m_changed.notify_all();
    }
    (writes ? m_writing : m_hashing) = false;
    // Under the lock: once it is released, finish() or the destructor may return and
    // this pipeline be gone.
    m_changed.notify_all();
}

void ChunkPipeline::releaseDone() {
    while (m_written > 0 && m_hashed > 0) {
        m_stock.give(std::move(m_queue.front()));
        m_queue.pop_front();
        --m_written;
        --m_hashed;
    }
}

ChunkPipeline::Outcome ChunkPipeline::finish() {
    if (m_block.size() > 0)
        submit(false);
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_writing && !m_hashing; });
    return Outcome{m_result, m_fileHash, m_chunkHash ? m_chunkHash->hexDigest() : std::string()};
}

} // namespace hoist
