#include "queue_summary.h"

#include "job_state.h"
#include "queue_model.h"

namespace hoist {

QueueSummary::QueueSummary(QObject* parent) : QObject(parent) {
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        refresh();
        emit sampled(m_totals.bytesPerSecond);
    });
    m_tick.start();
    m_soon.setSingleShot(true);
    m_soon.setInterval(0);
    connect(&m_soon, &QTimer::timeout, this, &QueueSummary::refresh);
}

void QueueSummary::setModel(QAbstractItemModel* model) {
    for (const auto& connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_model = model;
    if (m_model) {
        const auto soon = [this] { m_soon.start(); };
        m_connections << connect(m_model, &QAbstractItemModel::rowsInserted, this, soon)
                      << connect(m_model, &QAbstractItemModel::rowsRemoved, this, soon)
                      << connect(m_model, &QAbstractItemModel::modelReset, this, soon);
    }
    refresh();
}

void QueueSummary::refresh() {
    m_soon.stop();
    QueueTotals totals;
    const int rows = m_model ? m_model->rowCount() : 0;
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const auto state = static_cast<JobState>(index.data(QueueModel::StateRole).toInt());
        const qint64 size = index.data(QueueModel::SizeRole).toLongLong();
        ++totals.jobs;
        totals.perFilter.add(state);
        totals.totalBytes += size;
        if (isDone(state)) {
            // A file already on the server is all there, though none of it was sent.
            ++totals.done;
            totals.confirmedBytes += size;
            continue;
        }
        totals.confirmedBytes += index.data(QueueModel::ConfirmedBytesRole).toLongLong();
        if (state == JobState::Failed)
            ++totals.failed;
        else if (state == JobState::Paused)
            ++totals.paused;
        else if (isActive(state))
            ++totals.running;
        totals.bytesPerSecond += index.data(QueueModel::SpeedRole).toDouble();
    }
    m_totals = totals;
    emit updated(m_totals);
}

} // namespace hoist
