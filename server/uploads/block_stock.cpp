#include "block_stock.h"

namespace hoist {

std::vector<char> BlockStock::take(std::size_t capacity) {
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

void BlockStock::give(std::vector<char> block) {
    block.clear();
    std::lock_guard lock(m_mutex);
    if (m_blocks.size() < kMaxBlocks)
        m_blocks.push_back(std::move(block));
}

} // namespace hoist
