#include "pipeline_workers.h"

#include <algorithm>

namespace hoist {

PipelineWorkers::PipelineWorkers(std::size_t threads) {
    threads = std::max<std::size_t>(threads, 1);
    m_threads.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { run(); });
}

PipelineWorkers::~PipelineWorkers() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_posted.notify_all();
    for (auto& thread : m_threads)
        thread.join();
}

void PipelineWorkers::post(std::function<void()> task) {
    {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_posted.notify_one();
}

std::size_t PipelineWorkers::defaultThreads() {
    return std::max<std::size_t>(2 * std::thread::hardware_concurrency(), 4);
}

void PipelineWorkers::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_posted.wait(lock, [this] { return !m_tasks.empty() || m_stopping; });
        if (m_tasks.empty())
            return;
        std::function<void()> task = std::move(m_tasks.front());
        m_tasks.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

} // namespace hoist
