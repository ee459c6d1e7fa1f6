#include "throttled_body.h"

#include "bandwidth_limiter.h"

#include <algorithm>
#include <cstring>

namespace hoist {

ThrottledBody::ThrottledBody(QByteArray bytes, BandwidthLimiter* limiter, QObject* parent)
    : QIODevice(parent), m_bytes(std::move(bytes)), m_limiter(limiter) {
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    connect(limiter, &BandwidthLimiter::available, this, [this] {
        if (!atEnd())
            emit readyRead();
    });
}

qint64 ThrottledBody::bytesAvailable() const {
    return (m_bytes.size() - m_position) + QIODevice::bytesAvailable();
}

bool ThrottledBody::atEnd() const {
    return m_position >= m_bytes.size();
}

qint64 ThrottledBody::readData(char* data, qint64 maxSize) {
    // QNAM's upload device treats -1, not 0, as the end of a sequential body.
    if (atEnd())
        return -1;
    const qint64 wanted = std::min<qint64>(maxSize, m_bytes.size() - m_position);
    const qint64 granted = m_limiter ? m_limiter->acquire(wanted) : wanted;
    std::memcpy(data, m_bytes.constData() + m_position, static_cast<size_t>(granted));
    m_position += granted;
    return granted;
}

} // namespace hoist
