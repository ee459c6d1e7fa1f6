#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

namespace hoist {

class UploadJob;
class UploadQueue;

// Turns jobs that finish, fail, or turn out to be on the server already into
// desktop notifications. Events within a short window are merged into one
// message, so a folder of a thousand small files is one notification, not a
// thousand.
class JobNotifier final : public QObject {
    Q_OBJECT
  public:
    explicit JobNotifier(int batchMilliseconds = 1500, QObject* parent = nullptr);

    // The queue may be replaced (or cleared with nullptr) at any time.
    void setQueue(UploadQueue* queue);
    void setEnabled(bool enabled);

  signals:
    void notify(const QString& title, const QString& message, bool warning);

  private:
    void onStateChanged(UploadJob* job);
    void emitBatch();

    QPointer<UploadQueue> m_queue;
    QMetaObject::Connection m_connection;
    bool m_enabled = true;
    QStringList m_done;
    QStringList m_duplicates;
    QStringList m_failed; // "name: reason"
    QTimer m_batch;
};

} // namespace hoist
