#include "scheduler.h"

#include "upload_queue.h"

#include <algorithm>

namespace hoist {

Scheduler::Scheduler(UploadQueue& queue, int maxConcurrent, QObject* parent)
    : QObject(parent), m_queue(queue), m_maxConcurrent(std::max(1, maxConcurrent)) {
    m_pending.setSingleShot(true);
    m_pending.setInterval(0);
    connect(&m_pending, &QTimer::timeout, this, &Scheduler::schedule);
    connect(&m_queue, &UploadQueue::jobStateChanged, this, &Scheduler::scheduleSoon);
    connect(&m_queue, &UploadQueue::jobsAdded, this, &Scheduler::scheduleSoon);
    connect(&m_queue, &UploadQueue::jobsRemoved, this, &Scheduler::scheduleSoon);
    connect(&m_queue, &UploadQueue::jobsReset, this, &Scheduler::scheduleSoon);
    scheduleSoon();
}

void Scheduler::setMaxConcurrent(int maxConcurrent) {
    m_maxConcurrent = std::max(1, maxConcurrent);
    scheduleSoon();
}

void Scheduler::scheduleSoon() {
    if (!m_pending.isActive())
        m_pending.start();
}

bool Scheduler::isIdle() const {
    for (int row = 0; row < m_queue.count(); ++row) {
        const JobState state = m_queue.job(row)->state();
        if (state == JobState::Queued || isActive(state))
            return false;
    }
    return true;
}

void Scheduler::schedule() {
    int running = 0;
    for (int row = 0; row < m_queue.count(); ++row)
        running += isActive(m_queue.job(row)->state()) ? 1 : 0;
    for (int row = 0; row < m_queue.count() && running < m_maxConcurrent; ++row) {
        UploadJob* job = m_queue.job(row);
        if (job->state() != JobState::Queued)
            continue;
        job->start();
        ++running;
    }
    if (isIdle())
        emit idle();
}

} // namespace hoist
