#include "speed_meter.h"

#include <cmath>

namespace hoist {

void SpeedMeter::sample(qint64 confirmedBytes, qint64 nowMs) {
    if (!m_lastBytes || confirmedBytes < *m_lastBytes) {
        m_lastBytes = confirmedBytes;
        m_lastMs = nowMs;
        return;
    }
    const qint64 elapsedMs = nowMs - m_lastMs;
    if (elapsedMs <= 0)
        return;
    const double instant = static_cast<double>(confirmedBytes - *m_lastBytes) * 1000.0 /
                           static_cast<double>(elapsedMs);
    // The first measured interval is the best guess there is: no decay from zero.
    m_speed = m_primed ? kAlpha * instant + (1 - kAlpha) * m_speed : instant;
    m_primed = true;
    m_lastIntervalMs = elapsedMs;
    m_lastBytes = confirmedBytes;
    m_lastMs = nowMs;
}

void SpeedMeter::reset() {
    *this = SpeedMeter();
}

double SpeedMeter::bytesPerSecondAt(qint64 nowMs) const {
    const qint64 silentMs = nowMs - m_lastMs;
    if (!m_primed || silentMs <= m_lastIntervalMs)
        return m_speed;
    return m_speed * static_cast<double>(m_lastIntervalMs) / static_cast<double>(silentMs);
}

namespace {
qint64 etaAt(double speed, qint64 remaining) {
    if (speed <= 0)
        return -1;
    return static_cast<qint64>(std::ceil(static_cast<double>(remaining) / speed));
}
} // namespace

qint64 SpeedMeter::etaSeconds(qint64 remaining) const {
    return etaAt(m_speed, remaining);
}

qint64 SpeedMeter::etaSecondsAt(qint64 remaining, qint64 nowMs) const {
    return etaAt(bytesPerSecondAt(nowMs), remaining);
}

} // namespace hoist
