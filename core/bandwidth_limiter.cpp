#include "bandwidth_limiter.h"

#include <algorithm>

namespace hoist {

namespace {
// A quarter second of savings: pauses between chunks (the server syncing to disk)
// are made up for, while a burst after idling stays short.
constexpr double kBurstSeconds = 0.25;
constexpr int kWakeupMs = 2;
} // namespace

BandwidthLimiter::BandwidthLimiter(qint64 bytesPerSecond, QObject* parent) : QObject(parent) {
    m_clock.start();
    m_wakeup.setInterval(kWakeupMs);
    m_wakeup.setSingleShot(true);
    m_wakeup.setTimerType(Qt::PreciseTimer);
    connect(&m_wakeup, &QTimer::timeout, this, &BandwidthLimiter::available);
    setLimit(bytesPerSecond);
}

void BandwidthLimiter::setLimit(qint64 bytesPerSecond) {
    m_rate = std::max<qint64>(0, bytesPerSecond);
    m_tokens = 0;
    m_lastRefillNs = m_clock.nsecsElapsed();
    if (!isLimited())
        emit available();
}

void BandwidthLimiter::refill() {
    const qint64 now = m_clock.nsecsElapsed();
    const double earned = static_cast<double>(now - m_lastRefillNs) * 1e-9 * m_rate;
    m_lastRefillNs = now;
    m_tokens = std::min(m_tokens + earned, std::max(1.0, m_rate * kBurstSeconds));
}

qint64 BandwidthLimiter::acquire(qint64 wanted) {
    if (!isLimited())
        return wanted;
    refill();
    const qint64 granted = std::min<qint64>(wanted, static_cast<qint64>(m_tokens));
    m_tokens -= static_cast<double>(granted);
    if (granted < wanted && !m_wakeup.isActive())
        m_wakeup.start();
    return granted;
}

} // namespace hoist
