#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QPointer>

namespace hoist {

class BandwidthLimiter;

// A chunk body that QNetworkAccessManager pulls from only as fast as the shared
// BandwidthLimiter allows. Sequential, so QNAM streams it (with Content-Length set)
// instead of reading it all at once.
class ThrottledBody final : public QIODevice {
    Q_OBJECT
  public:
    ThrottledBody(QByteArray bytes, BandwidthLimiter* limiter, QObject* parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool atEnd() const override;

  protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char*, qint64) override { return -1; }

  private:
    QByteArray m_bytes;
    qint64 m_position = 0;
    QPointer<BandwidthLimiter> m_limiter;
};

} // namespace hoist
