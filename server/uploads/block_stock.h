#pragma once

#include "block.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace hoist {

// The 1 MiB blocks chunk pipelines fill on request threads and the workers write and
// hash, reused from one chunk to the next. A fresh block costs a page fault per 4 KiB
// on first touch: profiled, a fifth of hoistd's CPU time on a single upload, and with
// 200 uploads at once (which each took fresh blocks past a stock of 12) 182k faults per
// 3.1 GiB (bench/README.md). So the stock grows with the chunks in flight, up to
// `limit` blocks out at once; past that, take() waits for a block to come back, which
// bounds the server's block memory at `limit` MiB however many uploads run. When no
// block is out it keeps only kIdleBlocks, so an idle server gives its memory back.
// Thread-safe; one per server, shared by every chunk pipeline.
class BlockStock final {
  public:
    static constexpr std::size_t kBlockSize = 1024 * 1024;
    // Kept while idle: enough for two pipelines, which hold the block they fill and
    // kMaxQueued more at most (ChunkPipeline).
    static constexpr std::size_t kIdleBlocks = 12;

    // `limit` should exceed the request threads that may run a pipeline at once: each
    // holds a block while its body trickles in, and the others must still get theirs.
    explicit BlockStock(std::size_t limit);

    // An empty block; waits while `limit` blocks are out.
    Block take();
    // Every block taken comes back here once; an empty (moved-from) one is ignored.
    void give(Block block);

  private:
    const std::size_t m_limit;
    std::mutex m_mutex;
    std::condition_variable m_returned;
    std::size_t m_out = 0;
    std::vector<Block> m_blocks;
};

} // namespace hoist
