#pragma once

#include "job_record.h"

#include <QFutureWatcher>
#include <QList>
#include <QThreadPool>

#include <optional>

namespace hoist {

class QueueStore;

// Writes the queue file on a thread of its own. A save ends with an fsync (QSaveFile),
// and the queue is saved after every acknowledged chunk: on the GUI thread, which also
// drives the engine's transfers, every save held the window, the chunk answers and
// the next chunks for as long as the disk took (5-40 ms here, far more on a busy hard
// disk). Saves run one at a time, in order; of the queues handed in while one runs,
// only the newest is written.
class QueueSaver final {
  public:
    explicit QueueSaver(const QueueStore& store);
    // Waits for the save that is running; one still pending is dropped (saveNow()
    // first to keep it).
    ~QueueSaver();
    QueueSaver(const QueueSaver&) = delete;
    QueueSaver& operator=(const QueueSaver&) = delete;

    void saveLater(QList<JobRecord> records);
    // Waits for the running save, drops the pending one, writes `records` at once.
    bool saveNow(const QList<JobRecord>& records, QString* error);
    // A save is running or waiting.
    bool busy() const;

  private:
    void start(QList<JobRecord> records);

    const QueueStore& m_store;
    QThreadPool m_thread;
    QFutureWatcher<void> m_running;
    std::optional<QList<JobRecord>> m_pending;
};

} // namespace hoist
