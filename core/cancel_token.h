#pragma once

#include <QObject>

namespace hoist {

// Lets a job abort the request it is waiting for (pause, remove, shutdown): the
// protocol client ties cancel() to QNetworkReply::abort().
class CancelToken final : public QObject {
    Q_OBJECT
  public:
    using QObject::QObject;

    bool isCancelled() const { return m_cancelled; }
    void cancel() {
        m_cancelled = true;
        emit cancelled();
    }
    // A new run of the job starts with a fresh, uncancelled token.
    void reset() { m_cancelled = false; }

  signals:
    void cancelled();

  private:
    bool m_cancelled = false;
};

} // namespace hoist
