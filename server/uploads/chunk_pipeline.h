#pragma once

#include "block_stock.h"
#include "digest.h"
#include "pipeline_workers.h"
#include "sha256_state.h"
#include "storage_backend.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace hoist {

// Receives one chunk's bytes on the request thread and hands them, in blocks, to the
// server's workers (PipelineWorkers), which write them to the backend and hash them.
// Receiving (socket reads) and hashing+writing then overlap instead of taking turns:
// hashing in the receive thread alone halves throughput (measured on loopback).
// Writing and hashing are two strands: each takes the blocks in order, one worker at
// a time, but the two run at once, so a block is hashed while the next one (or the
// same one) is written; with O_DIRECT a write waits for the device, and one after the
// other they took write + hash time per block. A strand's task is posted when a block
// is queued for it and runs until none is left.
// Memory: kMaxQueued + 1 blocks at most, from the server's BlockStock, to which a
// block goes back once both strands are done with it.
class ChunkPipeline final {
  public:
    // `chunkDigest`: also digest the bytes fed (the digest an append carried).
    ChunkPipeline(PipelineWorkers& workers, BlockStock& stock, ChunkWriter& writer,
                  Sha256State fileHash, std::optional<DigestAlgorithm> chunkDigest);
    ~ChunkPipeline();
    ChunkPipeline(const ChunkPipeline&) = delete;
    ChunkPipeline& operator=(const ChunkPipeline&) = delete;

    // False once the worker has failed; the caller stops reading then.
    bool feed(const char* data, std::size_t size);

    struct Outcome {
        StorageResult<void> written;
        Sha256State fileHash; // the file hash including this chunk
        std::string chunkHex; // the digest of the bytes fed, when asked for
    };
    // Flushes the last block and waits for the workers to be done with this chunk.
    Outcome finish();

  private:
    // Queues the filled block; `refill`: and takes the next one to fill.
    void submit(bool refill);
    enum class Strand { Write, Hash };
    // On a worker: the strand's work on the queued blocks, oldest first, until none is left.
    void drain(Strand strand);
    // Under the lock: gives back the blocks both strands are done with.
    void releaseDone();

    static constexpr std::size_t kMaxQueued = 4;

    PipelineWorkers& m_workers;
    BlockStock& m_stock;
    ChunkWriter& m_writer;
    Sha256State m_fileHash;
    std::optional<DigestHasher> m_chunkHash;
    Block m_block;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Block> m_queue; // until both strands are done with a block
    std::size_t m_written = 0; // blocks at the front of m_queue written
    std::size_t m_hashed = 0;  // ... and hashed
    bool m_writing = false;    // a write task is posted or running
    bool m_hashing = false;    // a hash task is posted or running
    bool m_abandoned = false;  // destroyed before finish(): what is queued is dropped
    StorageResult<void> m_result;
    bool m_failed = false;
};

} // namespace hoist
