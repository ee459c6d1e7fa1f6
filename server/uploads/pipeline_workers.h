#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hoist {

// The threads that write and hash the blocks of every chunk pipeline: a fixed few,
// twice the cores, shared by all requests, instead of a thread per chunk PUT (200
// uploads at once put 200 hashers on two cores). A fixed number of writers is what the
// BlockStock's bound and O_DIRECT writes are sized against (bench/README.md, issue #13).
// Tasks run in the order posted. The queue is bounded by its users: a pipeline has at
// most two tasks posted at a time, one per strand (ChunkPipeline), and pipelines are
// bounded by the server's request threads. Thread-safe; one per server. The destructor
// runs what is queued, then joins the threads.
class PipelineWorkers final {
  public:
    explicit PipelineWorkers(std::size_t threads);
    ~PipelineWorkers();
    PipelineWorkers(const PipelineWorkers&) = delete;
    PipelineWorkers& operator=(const PipelineWorkers&) = delete;

    void post(std::function<void()> task);

    // Twice the cores, at least four: a write with O_DIRECT waits for the device, and
    // meanwhile another worker hashes.
    static std::size_t defaultThreads();

  private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_posted;
    std::deque<std::function<void()>> m_tasks;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace hoist
