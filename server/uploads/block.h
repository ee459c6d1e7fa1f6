#pragma once

#include <cstddef>
#include <span>

namespace hoist {

// A buffer of a fixed capacity, mapped from the system on its own: page-aligned, and
// its pages go back to the system when it is destroyed. A heap allocation of the same
// size keeps its pages in the allocator's arenas after free, so hoistd's RSS stayed at
// its peak after many uploads at once. Move-only.
class Block final {
  public:
    Block() = default;
    explicit Block(std::size_t capacity);
    ~Block();
    Block(Block&& other) noexcept;
    Block& operator=(Block&& other) noexcept;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;

    // Appends at most what still fits; the number of bytes taken.
    std::size_t append(const char* data, std::size_t size);
    void clear() { m_size = 0; }

    std::span<const char> bytes() const { return {m_data, m_size}; }
    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }
    bool full() const { return m_size == m_capacity; }

  private:
    void release();

    char* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace hoist
