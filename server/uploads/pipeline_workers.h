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
// twice the cores, shared by all requests. A thread per chunk PUT put as many
// hashers as uploads on the run queue (200 concurrent uploads: 400 runnable threads on
// two cores), each started and joined per chunk; hashing cannot go faster than the
// cores anyway. Tasks run in the order posted. The queue is bounded by its users: a
// pipeline has at most one task posted at a time (ChunkPipeline), and pipelines are
// bounded by the server's request slots. Thread-safe; one per server. The destructor
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
