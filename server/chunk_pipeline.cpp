#include "chunk_pipeline.h"

#include <cstring>

namespace hoist {

namespace {
// Blocks outlive the pipeline that used them. A fresh 1 MiB block per use costs page
// faults on first touch and a heap trim (madvise) when freed: profiled, that was about
// a fifth of hoistd's CPU time on a single upload (bench/README.md). This stock keeps a
// few touched blocks for the next chunk; past its cap blocks are freed as before, so
// what it holds stays small however many uploads run at once.
class BlockStock final {
  public:
    std::vector<char> take(std::size_t capacity) {
        {
            std::lock_guard lock(m_mutex);
            if (!m_blocks.empty()) {
                std::vector<char> block = std::move(m_blocks.back());
                m_blocks.pop_back();
                return block;
            }
        }
        std::vector<char> block;
        block.reserve(capacity);
        return block;
    }

    void give(std::vector<char> block) {
        block.clear();
        std::lock_guard lock(m_mutex);
        if (m_blocks.size() < kMaxBlocks)
            m_blocks.push_back(std::move(block));
    }

  private:
    // One upload in flight uses at most kMaxQueued + 2 blocks; this serves two.
    static constexpr std::size_t kMaxBlocks = 12;
    std::mutex m_mutex;
    std::vector<std::vector<char>> m_blocks;
};

BlockStock& blockStock() {
    static BlockStock stock;
    return stock;
}
} // namespace

ChunkPipeline::ChunkPipeline(ChunkWriter& writer, Sha256State fileHash, bool hashChunk)
    : m_writer(writer), m_fileHash(fileHash) {
    if (hashChunk)
        m_chunkHash.emplace();
    m_block = blockStock().take(kBlockSize);
    m_worker = std::thread([this] { run(); });
}

ChunkPipeline::~ChunkPipeline() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
    if (m_worker.joinable())
        m_worker.join();
    blockStock().give(std::move(m_block));
    for (auto& block : m_queue)
        blockStock().give(std::move(block));
    for (auto& block : m_spare)
        blockStock().give(std::move(block));
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
    if (!m_spare.empty()) {
        m_block = std::move(m_spare.back());
        m_spare.pop_back();
        m_block.clear();
    } else {
        m_block = blockStock().take(kBlockSize);
    }
    lock.unlock();
    m_changed.notify_all();
}

void ChunkPipeline::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return !m_queue.empty() || m_closed; });
        if (m_queue.empty())
            return;
        std::vector<char> block = std::move(m_queue.front());
        m_queue.pop_front();
        const bool skip = m_failed;
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
}

ChunkPipeline::Outcome ChunkPipeline::finish() {
    if (!m_block.empty())
        submit();
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
    m_worker.join();
    return Outcome{m_result, m_fileHash, m_chunkHash ? m_chunkHash->hexDigest() : std::string()};
}

} // namespace hoist
