#include "block.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <utility>

namespace hoist {

// MAP_POPULATE: every new block is filled whole, and its pages mapped in one call cost
// less than a fault per 4 KiB on first touch. The stock's first 288 blocks (200 uploads
// at once, bench/README.md, issue #13), mapped and filled on this VM: 1.1-1.4 s with a
// fault per page, 0.67-0.81 s populated (kernel time 0.52-0.62 s -> 0.06-0.10 s).
Block::Block(std::size_t capacity) : m_capacity(capacity) {
    void* mapped = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mapped == MAP_FAILED)
        throw std::bad_alloc();
    m_data = static_cast<char*>(mapped);
}

Block::~Block() {
    release();
}

Block::Block(Block&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)),
      m_capacity(std::exchange(other.m_capacity, 0)) {}

Block& Block::operator=(Block&& other) noexcept {
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
    }
    return *this;
}

std::size_t Block::append(const char* data, std::size_t size) {
    const std::size_t take = std::min(size, m_capacity - m_size);
    if (take == 0)
        return 0;
    std::memcpy(m_data + m_size, data, take);
    m_size += take;
    return take;
}

void Block::release() {
    if (m_data)
        ::munmap(m_data, m_capacity);
    m_data = nullptr;
}

} // namespace hoist
