#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace hoist {

// A token bucket shared by every upload: the bandwidth limit is one budget across
// all jobs. Bodies take what they may send with acquire(); when the bucket is
// empty they wait for available(). Lives on the network thread.
class BandwidthLimiter final : public QObject {
    Q_OBJECT
  public:
    explicit BandwidthLimiter(qint64 bytesPerSecond = 0, QObject* parent = nullptr);

    // 0 means unlimited.
    void setLimit(qint64 bytesPerSecond);
    qint64 limit() const { return m_rate; }
    bool isLimited() const { return m_rate > 0; }

    // Grants up to `wanted` bytes now (possibly 0); never more than was earned.
    qint64 acquire(qint64 wanted);

  signals:
    // The bucket refilled: bodies that got less than they wanted try again.
    void available();

  private:
    void refill();

    qint64 m_rate = 0;
    double m_tokens = 0;
    QElapsedTimer m_clock;
    qint64 m_lastRefillNs = 0;
    QTimer m_wakeup;
};

} // namespace hoist
