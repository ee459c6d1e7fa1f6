#include "job_notifier.h"

#include "upload_queue.h"

namespace hoist {

JobNotifier::JobNotifier(int batchMilliseconds, QObject* parent) : QObject(parent) {
    m_batch.setSingleShot(true);
    m_batch.setInterval(batchMilliseconds);
    connect(&m_batch, &QTimer::timeout, this, &JobNotifier::emitBatch);
}

void JobNotifier::setQueue(UploadQueue* queue) {
    disconnect(m_connection);
    m_queue = queue;
    if (m_queue)
        m_connection =
            connect(m_queue, &UploadQueue::jobStateChanged, this, &JobNotifier::onStateChanged);
}

void JobNotifier::setEnabled(bool enabled) {
    m_enabled = enabled;
}

void JobNotifier::onStateChanged(UploadJob* job) {
    if (!m_enabled)
        return;
    switch (job->state()) {
    case JobState::Done:
        m_done << job->fileName();
        break;
    case JobState::DoneDuplicate:
        m_duplicates << job->fileName();
        break;
    case JobState::Failed:
        m_failed << tr("%1: %2").arg(job->fileName(), job->record().error);
        break;
    default:
        return;
    }
    if (!m_batch.isActive())
        m_batch.start();
}

void JobNotifier::emitBatch() {
    const qsizetype total = m_done.size() + m_duplicates.size() + m_failed.size();
    const bool warning = !m_failed.isEmpty();
    if (total == 1) {
        if (!m_done.isEmpty())
            emit notify(tr("Uploaded"), m_done.first(), false);
        else if (!m_duplicates.isEmpty())
            emit notify(tr("Already on the server"),
                        tr("%1 was already there: nothing was sent.").arg(m_duplicates.first()),
                        false);
        else
            emit notify(tr("Upload failed"), m_failed.first(), true);
    } else if (total > 1) {
        QStringList parts;
        if (!m_done.isEmpty())
            parts << tr("%n uploaded", nullptr, static_cast<int>(m_done.size()));
        if (!m_duplicates.isEmpty())
            parts << tr("%n already on the server", nullptr, static_cast<int>(m_duplicates.size()));
        if (!m_failed.isEmpty())
            parts << tr("%n failed", nullptr, static_cast<int>(m_failed.size()));
        emit notify(warning ? tr("Some uploads failed") : tr("Uploads finished"),
                    parts.join(tr(", ")), warning);
    }
    m_done.clear();
    m_duplicates.clear();
    m_failed.clear();
}

} // namespace hoist
