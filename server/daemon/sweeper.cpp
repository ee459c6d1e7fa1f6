#include "sweeper.h"

namespace hoist {

Sweeper::Sweeper(std::chrono::seconds interval, std::function<void()> sweep)
    : m_interval(interval), m_sweep(std::move(sweep)) {}

Sweeper::~Sweeper() {
    stop();
}

void Sweeper::start() {
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, m_interval, [this] { return m_stopping; })) {
            lock.unlock();
            m_sweep();
            lock.lock();
        }
    });
}

void Sweeper::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace hoist
