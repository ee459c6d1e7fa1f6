#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

namespace hoist {

// Touched 1 MiB blocks kept for the next chunk. A fresh block per use costs page
// faults on first touch and a heap trim (madvise) when freed: profiled, that was about
// a fifth of hoistd's CPU time on a single upload (bench/README.md). Past its cap,
// blocks are freed as before, so what it holds stays small however many uploads run
// at once. Thread-safe; one per server, shared by every chunk pipeline.
class BlockStock final {
  public:
    std::vector<char> take(std::size_t capacity);
    void give(std::vector<char> block);

  private:
    // One upload in flight uses at most ChunkPipeline's queue + 2 blocks; this serves two.
    static constexpr std::size_t kMaxBlocks = 12;
    std::mutex m_mutex;
    std::vector<std::vector<char>> m_blocks;
};

} // namespace hoist
