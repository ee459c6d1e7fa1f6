#include "queue_saver.h"

#include "queue_store.h"

#include <QtConcurrent>

#include <utility>

namespace hoist {

QueueSaver::QueueSaver(const QueueStore& store) : m_store(store) {
    m_thread.setMaxThreadCount(1);
    QObject::connect(&m_running, &QFutureWatcherBase::finished, &m_running, [this] {
        if (m_pending && m_running.isFinished())
            start(*std::exchange(m_pending, std::nullopt));
    });
}

QueueSaver::~QueueSaver() {
    m_running.waitForFinished();
}

void QueueSaver::saveLater(QList<JobRecord> records) {
    if (!m_running.isFinished()) {
        m_pending = std::move(records);
        return;
    }
    start(std::move(records));
}

bool QueueSaver::saveNow(const QList<JobRecord>& records, QString* error) {
    m_pending.reset();
    m_running.waitForFinished();
    return m_store.save(records, error);
}

bool QueueSaver::busy() const {
    return m_pending.has_value() || !m_running.isFinished();
}

void QueueSaver::start(QList<JobRecord> records) {
    const QueueStore* store = &m_store;
    m_running.setFuture(QtConcurrent::run(
        &m_thread, [store, records = std::move(records)] { store->save(records); }));
}

} // namespace hoist
