#include "upload_queue.h"

#include "file_identity.h"
#include "protocol_client_factory.h"
#include "queue_store.h"
#include "server_watch.h"

#include <QCoroTimer>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace hoist {

namespace {

// Fire and forget: the server may still hold the session's lock for the chunk just
// aborted (423), so transient failures are retried; a final failure only leaves a
// session that the server's sweeper expires.
QCoro::Task<> deleteSession(ProtocolClient* client, QString sessionId, RetryPolicy policy) {
    constexpr int kTries = 4;
    for (int attempt = 0; attempt < kTries; ++attempt) {
        const auto deleted = co_await client->abortSession(sessionId);
        if (deleted || !deleted.error().isRetryable())
            co_return;
        co_await QCoro::sleepFor(policy.randomDelay(attempt));
    }
}

} // namespace

UploadQueue::UploadQueue(ProtocolClientFactory& clients, QueueStore* store, QObject* parent)
    : QObject(parent), m_clients(clients), m_store(store),
      m_saver(store ? std::make_unique<QueueSaver>(*store) : nullptr) {
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(0);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] { m_saver->saveLater(records()); });
}

UploadQueue::~UploadQueue() {
    // Saved as they are: a job that was running is resumed by the next restore().
    if (m_saveTimer.isActive() || (m_saver && m_saver->busy()))
        saveNow();
}

UploadJob* UploadQueue::job(int row) const {
    return row >= 0 && row < count() ? m_jobs[static_cast<size_t>(row)].get() : nullptr;
}

int UploadQueue::rowOf(const UploadJob* job) const {
    return m_rows.value(job, -1);
}

QStringList UploadQueue::addPaths(const QStringList& paths, const QUrl& server, Protocol protocol) {
    QStringList rejected;
    std::vector<JobRecord> records;
    const auto addFile = [&](const QString& path) {
        const auto identity = FileIdentity::of(path);
        if (!identity) {
            rejected << path;
            return;
        }
        JobRecord record;
        record.path = identity->path;
        record.size = identity->size;
        record.modifiedMs = identity->modifiedMs;
        record.server = server;
        record.protocol = protocol;
        records.push_back(std::move(record));
    };
    for (const QString& path : paths) {
        if (!QFileInfo(path).isDir()) {
            addFile(path);
            continue;
        }
        QStringList files;
        QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort(); // a stable, predictable order for the queue
        for (const QString& file : files)
            addFile(file);
    }
    append(std::move(records));
    return rejected;
}

void UploadQueue::restore() {
    if (!m_store)
        return;
    std::vector<JobRecord> records;
    for (JobRecord record : m_store->load()) {
        if (isActive(record.state))
            record.state = JobState::Queued;
        records.push_back(std::move(record));
    }
    append(std::move(records));
}

void UploadQueue::append(std::vector<JobRecord> records) {
    if (records.empty())
        return;
    const int first = count();
    const int last = first + static_cast<int>(records.size()) - 1;
    emit jobsAboutToBeAdded(first, last);
    for (JobRecord& record : records) {
        UploadJob::Context context;
        context.client = m_clients.clientFor(record.server, record.protocol);
        context.watch = m_watch;
        context.retry = m_retryPolicy;
        context.parallelChunks = m_parallelChunks;
        auto job = std::make_unique<UploadJob>(std::move(record), context);
        UploadJob* raw = job.get();
        connect(raw, &UploadJob::stateChanged, this, [this, raw] { emit jobStateChanged(raw); });
        connect(raw, &UploadJob::progressChanged, this,
                [this, raw] { emit jobProgressChanged(raw); });
        connect(raw, &UploadJob::recordChanged, this, &UploadQueue::scheduleSave);
        m_rows.insert(raw, count());
        m_jobs.push_back(std::move(job));
    }
    emit jobsAdded(first, last);
    scheduleSave();
    trackServers();
}

void UploadQueue::rebuildRows() {
    m_rows.clear();
    for (int row = 0; row < count(); ++row)
        m_rows.insert(m_jobs[static_cast<size_t>(row)].get(), row);
}

void UploadQueue::setRetryPolicy(const RetryPolicy& policy) {
    m_retryPolicy = policy;
    for (const auto& job : m_jobs)
        job->setRetryPolicy(m_retryPolicy);
}

void UploadQueue::setParallelChunks(int chunks) {
    m_parallelChunks = chunks;
    for (const auto& job : m_jobs)
        job->setParallelChunks(m_parallelChunks);
}

void UploadQueue::pause(int row) {
    if (UploadJob* target = job(row))
        target->pause();
}

void UploadQueue::resume(int row) {
    if (UploadJob* target = job(row))
        target->resume();
}

void UploadQueue::retry(int row) {
    if (UploadJob* target = job(row))
        target->retry();
}

void UploadQueue::remove(int row) {
    removeRows({row});
}

void UploadQueue::clearFinished() {
    QList<int> rows;
    for (int row = 0; row < count(); ++row) {
        if (isDone(m_jobs[static_cast<size_t>(row)]->state()))
            rows << row;
    }
    removeRows(std::move(rows));
}

void UploadQueue::removeRows(QList<int> rows) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    rows.erase(std::remove_if(rows.begin(), rows.end(), [this](int row) { return !job(row); }),
               rows.end());
    if (rows.isEmpty())
        return;
    const int first = rows.first();
    const int last = rows.last();
    const bool contiguous = last - first + 1 == rows.size();
    if (contiguous)
        emit jobsAboutToBeRemoved(first, last);
    else
        emit jobsAboutToBeReset();

    std::vector<std::unique_ptr<UploadJob>> removed;
    removed.reserve(static_cast<size_t>(rows.size()));
    std::vector<std::unique_ptr<UploadJob>> kept;
    kept.reserve(m_jobs.size() - static_cast<size_t>(rows.size()));
    auto next = rows.cbegin();
    for (int row = 0; row < count(); ++row) {
        auto& entry = m_jobs[static_cast<size_t>(row)];
        if (next != rows.cend() && *next == row) {
            removed.push_back(std::move(entry));
            ++next;
        } else {
            kept.push_back(std::move(entry));
        }
    }
    m_jobs = std::move(kept);
    rebuildRows();
    for (const auto& gone : removed) {
        const JobRecord& record = gone->record();
        if (!record.sessionId.isEmpty() && !isDone(record.state)) {
            [[maybe_unused]] auto detached =
                deleteSession(m_clients.clientFor(record.server, record.protocol), record.sessionId,
                              m_retryPolicy);
        }
    }
    removed.clear(); // destroying the jobs aborts their runs

    if (contiguous)
        emit jobsRemoved(first, last);
    else
        emit jobsReset();
    scheduleSave();
    trackServers();
}

void UploadQueue::trackServers() {
    if (!m_watch)
        return;
    QList<ServerWatch::Tracked> servers;
    QSet<ProtocolClient*> seen;
    const JobRecord* previous = nullptr;
    for (const auto& job : m_jobs) {
        const JobRecord& record = job->record();
        // Long queues are mostly runs of one server: skip the pool's lookup for those.
        if (previous && previous->server == record.server && previous->protocol == record.protocol)
            continue;
        previous = &record;
        ProtocolClient* client = m_clients.clientFor(record.server, record.protocol);
        if (!seen.contains(client)) {
            seen.insert(client);
            servers.append({client, record.server});
        }
    }
    m_watch->track(servers);
}

void UploadQueue::pauseAll() {
    for (const auto& job : m_jobs)
        job->pause();
}

void UploadQueue::resumeAll() {
    for (const auto& job : m_jobs)
        job->resume();
}

void UploadQueue::scheduleSave() {
    if (m_store && !m_saveTimer.isActive())
        m_saveTimer.start();
}

bool UploadQueue::saveNow(QString* error) {
    m_saveTimer.stop();
    return !m_saver || m_saver->saveNow(records(), error);
}

QList<JobRecord> UploadQueue::records() const {
    QList<JobRecord> records;
    records.reserve(count());
    for (const auto& job : m_jobs)
        records.append(job->record());
    return records;
}

} // namespace hoist
