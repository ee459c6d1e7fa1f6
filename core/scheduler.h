#pragma once

#include <QObject>
#include <QTimer>

namespace hoist {

class UploadQueue;

// Runs at most N jobs of the queue at once, starting queued jobs in queue order
// whenever a slot frees up. Decisions are coalesced to one per event-loop turn, so
// a job changing state inside start() never re-enters the scheduler.
class Scheduler final : public QObject {
    Q_OBJECT
  public:
    Scheduler(UploadQueue& queue, int maxConcurrent, QObject* parent = nullptr);

    void setMaxConcurrent(int maxConcurrent);
    int maxConcurrent() const { return m_maxConcurrent; }

    // True when no job is running or waiting to run (paused and failed jobs wait
    // for a person, so they count as settled).
    bool isIdle() const;

  signals:
    // The queue went idle: every job is done, failed or paused.
    void idle();

  private:
    void scheduleSoon();
    void schedule();

    UploadQueue& m_queue;
    int m_maxConcurrent;
    QTimer m_pending;
};

} // namespace hoist
