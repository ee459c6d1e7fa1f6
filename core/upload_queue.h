#pragma once

#include "job_record.h"
#include "queue_saver.h"
#include "upload_job.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>
#include <vector>

namespace hoist {

class ProtocolClientFactory;
class QueueStore;
class ServerWatch;

// The list of upload jobs and the actions on them (what a GUI's buttons call).
// Owns the jobs; persists the queue through QueueStore on every change, coalesced
// to one save per event-loop turn and written off the GUI thread (QueueSaver). Rows
// are positions in the queue.
class UploadQueue final : public QObject {
    Q_OBJECT
  public:
    // `clients` gives each job the client of its record's server and protocol and
    // outlives the queue's jobs; `store` may be null (nothing persisted).
    UploadQueue(ProtocolClientFactory& clients, QueueStore* store, QObject* parent = nullptr);
    ~UploadQueue() override;

    int count() const { return static_cast<int>(m_jobs.size()); }
    UploadJob* job(int row) const;
    // -1 when the job is not (any more) in the queue.
    int rowOf(const UploadJob* job) const;

    // Adds files, and every file below each folder, for `server` spoken to in `protocol`.
    // Answers the paths it could not add.
    QStringList addPaths(const QStringList& paths, const QUrl& server,
                         Protocol protocol = Protocol::Native);
    // Loads the persisted queue: jobs that were running are queued again, paused
    // ones stay paused, finished ones keep their file id. Appends to the queue.
    void restore();

    void setRetryPolicy(const RetryPolicy& policy);
    // Chunks of one file in flight at once (Settings::parallelChunks), for every job.
    void setParallelChunks(int chunks);
    // Lets waiting jobs resume as soon as their server answers; `watch` outlives the jobs.
    void setServerWatch(ServerWatch* watch) { m_watch = watch; }

    void pause(int row);
    void resume(int row);
    void retry(int row);
    // Stops the job, deletes its server session, and drops it from the queue.
    void remove(int row);
    // remove() of many rows in one pass over the queue: linear, whatever their number
    // and order, announced as one range when they are contiguous, else as a reset.
    void removeRows(QList<int> rows);
    // Drops every finished job (done, or already on the server).
    void clearFinished();
    void pauseAll();
    void resumeAll();

    // Writes the queue now, on this thread (also done on destruction).
    bool saveNow(QString* error = nullptr);

  signals:
    void jobsAboutToBeAdded(int first, int last);
    void jobsAdded(int first, int last);
    void jobsAboutToBeRemoved(int first, int last);
    void jobsRemoved(int first, int last);
    // Rows went away in more than one range: every row may have moved.
    void jobsAboutToBeReset();
    void jobsReset();
    void jobStateChanged(hoist::UploadJob* job);
    void jobProgressChanged(hoist::UploadJob* job);

  private:
    void append(std::vector<JobRecord> records);
    void rebuildRows();
    void scheduleSave();
    QList<JobRecord> records() const;
    // Tells the watch which servers have jobs now.
    void trackServers();

    ProtocolClientFactory& m_clients;
    QueueStore* m_store;
    std::unique_ptr<QueueSaver> m_saver;
    RetryPolicy m_retryPolicy;
    int m_parallelChunks = 1;
    ServerWatch* m_watch = nullptr;
    std::vector<std::unique_ptr<UploadJob>> m_jobs;
    QHash<const UploadJob*, int> m_rows;
    QTimer m_saveTimer;
};

} // namespace hoist
