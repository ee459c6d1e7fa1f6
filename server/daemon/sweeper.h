#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace hoist {

// Runs a sweep every interval on its own thread until stopped (PROTOCOL duty 5:
// expired sessions lose their bytes).
class Sweeper final {
  public:
    Sweeper(std::chrono::seconds interval, std::function<void()> sweep);
    ~Sweeper();
    void start();
    void stop();

  private:
    std::chrono::seconds m_interval;
    std::function<void()> m_sweep;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace hoist
