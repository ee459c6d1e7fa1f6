#include "block_stock.h"

#include <algorithm>

namespace hoist {

BlockStock::BlockStock(std::size_t limit) : m_limit(std::max(limit, kIdleBlocks)) {}

Block BlockStock::take() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return m_out < m_limit; });
    ++m_out;
    if (!m_blocks.empty()) {
        Block block = std::move(m_blocks.back());
        m_blocks.pop_back();
        return block;
    }
    lock.unlock();
    try {
        return Block(kBlockSize);
    } catch (...) {
        {
            std::lock_guard relock(m_mutex);
            --m_out;
        }
        m_returned.notify_one();
        throw;
    }
}

void BlockStock::give(Block block) {
    if (block.capacity() == 0)
        return;
    block.clear();
    std::vector<Block> surplus;
    {
        std::lock_guard lock(m_mutex);
        --m_out;
        m_blocks.push_back(std::move(block));
        if (m_out == 0 && m_blocks.size() > kIdleBlocks) {
            std::move(m_blocks.begin() + kIdleBlocks, m_blocks.end(), std::back_inserter(surplus));
            m_blocks.resize(kIdleBlocks);
        }
    }
    m_returned.notify_one();
}

} // namespace hoist
