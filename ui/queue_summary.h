#pragma once

#include "queue_filter.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QAbstractItemModel;

namespace hoist {

struct QueueTotals {
    int jobs = 0;
    int done = 0; // done and already-on-server
    int failed = 0;
    int paused = 0;
    int running = 0;
    qint64 confirmedBytes = 0;
    qint64 totalBytes = 0;
    double bytesPerSecond = 0;
    QueueFilterCounts perFilter; // the sidebar's counts
};

// Totals over a QueueModel for the status bar, the tray tooltip and the
// throughput graph. One pass over the rows once a second (speeds move anyway),
// and soon after rows come or go, coalesced to one pass per event-loop turn.
class QueueSummary final : public QObject {
    Q_OBJECT
  public:
    explicit QueueSummary(QObject* parent = nullptr);

    // The model may be replaced (or cleared with nullptr) at any time.
    void setModel(QAbstractItemModel* model);
    const QueueTotals& totals() const { return m_totals; }
    // Recomputes now.
    void refresh();

  signals:
    void updated(const hoist::QueueTotals& totals);
    // Once a second: the total speed, for a chart over time.
    void sampled(double bytesPerSecond);

  private:
    QPointer<QAbstractItemModel> m_model;
    QList<QMetaObject::Connection> m_connections;
    QueueTotals m_totals;
    QTimer m_tick;
    QTimer m_soon;
};

} // namespace hoist
