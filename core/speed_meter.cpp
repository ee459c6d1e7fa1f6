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
    m_lastBytes = confirmedBytes;
    m_lastMs = nowMs;
}

void SpeedMeter::reset() {
    *this = SpeedMeter();
}

qint64 SpeedMeter::etaSeconds(qint64 remaining) const {
    if (m_speed <= 0)
        return -1;
    return static_cast<qint64>(std::ceil(static_cast<double>(remaining) / m_speed));
}

} // namespace hoist
