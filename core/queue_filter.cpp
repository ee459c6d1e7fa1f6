#include "queue_filter.h"

#include <QCoreApplication>

namespace hoist {

bool matches(QueueFilter filter, JobState state) {
    switch (filter) {
    case QueueFilter::All:
        return true;
    case QueueFilter::Active:
        // Working or about to: what the scheduler runs or will run next.
        return state == JobState::Queued || (isActive(state) && state != JobState::Waiting);
    case QueueFilter::Waiting:
        return state == JobState::Waiting;
    case QueueFilter::Paused:
        return state == JobState::Paused;
    case QueueFilter::Failed:
        return state == JobState::Failed;
    case QueueFilter::Done:
        return isDone(state);
    }
    return false;
}

QString queueFilterLabel(QueueFilter filter) {
    switch (filter) {
    case QueueFilter::All:
        return QCoreApplication::translate("QueueFilter", "All");
    case QueueFilter::Active:
        return QCoreApplication::translate("QueueFilter", "Active");
    case QueueFilter::Waiting:
        return QCoreApplication::translate("QueueFilter", "Waiting for server");
    case QueueFilter::Paused:
        return QCoreApplication::translate("QueueFilter", "Paused");
    case QueueFilter::Failed:
        return QCoreApplication::translate("QueueFilter", "Failed");
    case QueueFilter::Done:
        return QCoreApplication::translate("QueueFilter", "Done");
    }
    return {};
}

void QueueFilterCounts::add(JobState state) {
    for (const QueueFilter filter : kQueueFilters) {
        if (matches(filter, state))
            ++m_counts[static_cast<size_t>(filter)];
    }
}

} // namespace hoist
